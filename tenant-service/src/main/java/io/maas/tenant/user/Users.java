package io.maas.tenant.user;

import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.tenant.system.Role;
import io.maas.tenant.tenant.Tenants;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * People and their roles. Platform roles ({@code PLATFORM_ADMIN}, {@code FINANCE}) are managed by
 * platform admins; the tenant roles by platform admins and by the tenant's own {@code TENANT_ADMIN}s.
 * People are disabled, never deleted (the audit log names them).
 */
@Service
class Users {

    private final UserRepository users;
    private final Tenants tenants;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;

    Users(UserRepository users, Tenants tenants, PasswordEncoder passwords, AuditLog audit, Clock clock) {
        this.users = users;
        this.tenants = tenants;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    UserView create(String username, String password, Role role, UUID tenantId) {
        Caller caller = CurrentCaller.get();
        if (role.tenantScoped()) {
            if (tenantId == null) {
                throw ApiException.badRequest("tenantId is required for role " + role + ", which belongs to one tenant.");
            }
            caller.requireTenant(tenantId);
            caller.require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
            tenants.visible(tenantId);
        } else {
            caller.require(Role.PLATFORM_ADMIN);
            if (tenantId != null) {
                throw ApiException.badRequest("Role " + role + " is platform-wide; leave tenantId out.");
            }
        }
        if (users.findByUsername(username).isPresent()) {
            throw ApiException.conflict("The username '" + username + "' is taken; choose another.");
        }
        AppUser user = users.save(new AppUser(username, passwords.encode(password), role, tenantId, clock.instant()));
        UserView after = UserView.of(user);
        audit.record("user.create", tenantId, "user/" + user.id(), null, after);
        return after;
    }

    @Transactional(readOnly = true)
    List<UserView> ofTenant(UUID tenantId) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        tenants.visible(tenantId);
        return users.findByTenantIdOrderByUsername(tenantId).stream().map(UserView::of).toList();
    }

    @Transactional(readOnly = true)
    List<UserView> platformUsers() {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        return users.findByTenantIdIsNullOrderByUsername().stream().map(UserView::of).toList();
    }

    @Transactional
    UserView disable(UUID tenantId, UUID userId) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        AppUser user = users.findById(userId).filter(u -> tenantId.equals(u.tenantId()))
                .orElseThrow(() -> ApiException.notFound("user", userId));
        if (user.id().equals(caller.userId())) {
            throw ApiException.conflict("You cannot disable yourself; ask another administrator.");
        }
        UserView before = UserView.of(user);
        if (user.disabledAt() == null) {
            user.disable(clock.instant());
        }
        UserView after = UserView.of(user);
        audit.record("user.disable", tenantId, "user/" + userId, before, after);
        return after;
    }

    UserView me() {
        Caller caller = CurrentCaller.get();
        return users.findById(caller.userId()).map(UserView::of).orElseThrow();
    }
}
