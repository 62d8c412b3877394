package io.maas.tenant.system;

import io.maas.api.tenant.Role;
import java.util.Arrays;
import java.util.UUID;

/**
 * The person behind the current request.
 *
 * @param tenantId their tenant, for the tenant-scoped roles; null for platform roles
 */
public record Caller(UUID userId, String username, Role role, UUID tenantId) {

    public boolean is(Role... roles) {
        return Arrays.asList(roles).contains(role);
    }

    /** Platform-wide roles see every tenant. */
    public boolean seesAllTenants() {
        return !role.tenantScoped();
    }

    /**
     * Refuses with 404 when {@code tenant} is not the caller's own (for tenant-scoped roles): the
     * caller must not learn whether another tenant or anything of it exists. Check this before
     * {@link #require}, so a cross-tenant request is a 404 whatever the role.
     */
    public void requireTenant(UUID tenant) {
        if (!seesAllTenants() && !tenantId.equals(tenant)) {
            throw ApiException.notFound("tenant", tenant);
        }
    }

    /** Refuses with 403 unless the caller has one of {@code roles}. */
    public void require(Role... roles) {
        if (!is(roles)) {
            throw ApiException.forbidden("Role " + role + " may not do this; it needs one of " + Arrays.toString(roles) + ".");
        }
    }
}
