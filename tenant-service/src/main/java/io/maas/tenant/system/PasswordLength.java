package io.maas.tenant.system;

import java.nio.charset.StandardCharsets;

/** BCrypt reads at most {@value #MAX_BYTES} bytes of a password: no longer one is accepted, stored or checked. */
public final class PasswordLength {

    public static final int MAX_BYTES = 72;

    private PasswordLength() {
    }

    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }
}
