package io.maas.tenant.user;

import io.maas.api.tenant.Role;
import java.time.Instant;
import java.util.UUID;

/** A person as the API shows them; never their password hash. */
record UserView(UUID id, String username, Role role, UUID tenantId, Instant createdAt, Instant disabledAt) {

    static UserView of(AppUser u) {
        return new UserView(u.id(), u.username(), u.role(), u.tenantId(), u.createdAt(), u.disabledAt());
    }
}
