package io.maas.api.tenant;

/**
 * Who may see and do what.
 *
 * <ul>
 *   <li>{@link #PLATFORM_ADMIN}: everything, platform-wide.</li>
 *   <li>{@link #FINANCE}: reads every tenant, its usage, balances and statements; grants and tops up balances.</li>
 *   <li>{@link #TENANT_ADMIN}: everything of its own tenant: its people, API keys, usage and bills.</li>
 *   <li>{@link #TENANT_FINANCE}: reads its own tenant's usage, balance and statements.</li>
 *   <li>{@link #DEVELOPER}: its own API keys in its own tenant, quotes.</li>
 * </ul>
 * The last three see nothing of another tenant: asking for it answers 404, as if it did not exist.
 */
public enum Role {
    PLATFORM_ADMIN,
    FINANCE,
    TENANT_ADMIN,
    TENANT_FINANCE,
    DEVELOPER;

    /** Whether people with this role belong to exactly one tenant (otherwise to none). */
    public boolean tenantScoped() {
        return this == TENANT_ADMIN || this == TENANT_FINANCE || this == DEVELOPER;
    }
}
