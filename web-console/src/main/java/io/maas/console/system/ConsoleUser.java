package io.maas.console.system;

import io.maas.api.tenant.Role;
import java.util.UUID;

/**
 * The person signed in to the console, and the tenant-service session that acts for them: its
 * cookie and the CSRF token its writes carry. Kept in the console's session only (memory); never
 * logged.
 *
 * @param tenantId their tenant for the tenant roles; null for the platform roles
 */
public record ConsoleUser(UUID userId, String username, Role role, UUID tenantId, String apiCookie, String csrfHeader,
                          String csrfToken) {

    public boolean is(Role... roles) {
        for (Role r : roles) {
            if (r == role) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ConsoleUser[" + username + ", " + role + "]";
    }
}
