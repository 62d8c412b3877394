package io.maas.console.system;

import io.maas.api.tenant.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The console's pages and the roles that see each. A page a role may not see answers 404, as if it
 * did not exist, and is not in that role's navigation ({@link PageAccess}).

 */
public enum Page {
    DASHBOARD("/dashboard", Role.PLATFORM_ADMIN),
    TENANTS("/tenants", Role.PLATFORM_ADMIN),
    PRICE_BOOKS("/price-books", Role.PLATFORM_ADMIN),
    DEPLOYMENTS("/deployments", Role.PLATFORM_ADMIN),
    FLEET("/fleet", Role.PLATFORM_ADMIN),
    KEYS("/keys", Role.TENANT_ADMIN, Role.DEVELOPER),
    USAGE("/usage", Role.TENANT_ADMIN, Role.TENANT_FINANCE, Role.DEVELOPER),
    PLAYGROUND("/playground", Role.TENANT_ADMIN, Role.DEVELOPER),
    STATEMENTS("/statements", Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE),
    ECONOMICS("/economics", Role.PLATFORM_ADMIN, Role.FINANCE);

    private final String path;
    private final Set<Role> roles;

    Page(String path, Role... roles) {
        this.path = path;
        this.roles = Set.of(roles);
    }

    public String path() {
        return path;
    }

    /** The message key of the page's name. */
    public String title() {
        return "page." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean visibleTo(Role role) {
        return roles.contains(role);
    }

    /** The pages {@code role} sees, in navigation order. */
    public static List<Page> of(Role role) {
        return Arrays.stream(values()).filter(page -> page.visibleTo(role)).toList();
    }

    /** The page a request path belongs to. */
    static Optional<Page> at(String path) {
        return Arrays.stream(values()).filter(page -> path.equals(page.path) || path.startsWith(page.path + "/")).findFirst();
    }
}
