package io.maas.tenant.system;

import java.util.UUID;

/**
 * Whether an account that authenticated earlier (a browser session) may still act: it is not
 * disabled and its password is the one it logged in with. Asked on every request a session carries,
 * so disabling a person or changing their password ends their sessions at once.
 */
public interface AccountCheck {

    boolean isCurrent(UUID userId, String credentialsStamp);
}
