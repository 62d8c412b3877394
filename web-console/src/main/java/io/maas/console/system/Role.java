package io.maas.console.system;

/** The platform's roles, as tenant-service names them. */
public enum Role {
    PLATFORM_ADMIN,
    FINANCE,
    TENANT_ADMIN,
    TENANT_FINANCE,
    DEVELOPER;

    /** Whether people with this role belong to exactly one tenant. */
    public boolean tenantScoped() {
        return this == TENANT_ADMIN || this == TENANT_FINANCE || this == DEVELOPER;
    }
}
