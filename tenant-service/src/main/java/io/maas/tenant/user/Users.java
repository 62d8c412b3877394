package io.maas.tenant.user;

import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.Tenants;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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
    private final Passwords passwords;
    private final AuditLog audit;
    private final Clock clock;

    Users(UserRepository users, Tenants tenants, Passwords passwords, AuditLog audit, Clock clock) {
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
        AppUser user = users.save(new AppUser(username, passwords.hash("password", password), role, tenantId, clock.instant()));
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

    /**
     * Disables a person: {@code tenantId} null for a platform user (by a {@code PLATFORM_ADMIN}), else one
     * of that tenant's (by a {@code PLATFORM_ADMIN} or its {@code TENANT_ADMIN}). Their sessions end at once
     * and the gateways refuse their API keys within their key cache time. Nobody disables themselves, and
     * the last active {@code PLATFORM_ADMIN} cannot be disabled: the active admins are locked while this is
     * decided, so two admins disabling each other cannot both succeed.
     */
    @Transactional
    UserView disable(UUID tenantId, UUID userId) {
        AppUser user = managed(tenantId, userId, "You cannot disable yourself; ask another administrator.");
        if (user.role() == Role.PLATFORM_ADMIN && user.disabledAt() == null
                && users.lockActive(Role.PLATFORM_ADMIN).size() <= 1) {
            throw ApiException.conflict("'" + user.username() + "' is the last active PLATFORM_ADMIN; create another one first.");
        }
        UserView before = UserView.of(user);
        if (user.disabledAt() == null) {
            user.disable(clock.instant());
        }
        UserView after = UserView.of(user);
        audit.record("user.disable", tenantId, "user/" + userId, before, after);
        return after;
    }

    /** The caller's own password, given the current one. Every session of the caller ends, this one too. */
    @Transactional
    void changeOwnPassword(String currentPassword, String newPassword) {
        AppUser user = users.findById(CurrentCaller.get().userId()).orElseThrow();
        if (!passwords.matches(currentPassword, user.passwordHash())) {
            throw ApiException.badRequest("currentPassword is not your current password.");
        }
        user.changePassword(passwords.hash("newPassword", newPassword));
        audit.record("user.password", user.tenantId(), "user/" + user.id(), null, Map.of("by", "self"));
    }

    /** An administrator sets someone else's password (as {@link #disable}); that person's sessions end. */
    @Transactional
    void resetPassword(UUID tenantId, UUID userId, String newPassword) {
        AppUser user = managed(tenantId, userId, "Change your own password at /api/v1/users/me/password, with your current one.");
        user.changePassword(passwords.hash("newPassword", newPassword));
        audit.record("user.password", tenantId, "user/" + userId, null, Map.of("by", "administrator"));
    }

    /** A person the caller administers, never the caller: 404 when not visible, 403 for a role that may not. */
    private AppUser managed(UUID tenantId, UUID userId, String notYourself) {
        Caller caller = CurrentCaller.get();
        if (tenantId == null) {
            caller.require(Role.PLATFORM_ADMIN);
        } else {
            caller.requireTenant(tenantId);
            caller.require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        }
        AppUser user = users.findById(userId).filter(u -> Objects.equals(tenantId, u.tenantId()))
                .orElseThrow(() -> ApiException.notFound("user", userId));
        if (user.id().equals(caller.userId())) {
            throw ApiException.conflict(notYourself);
        }
        return user;
    }

    UserView me() {
        Caller caller = CurrentCaller.get();
        return users.findById(caller.userId()).map(UserView::of).orElseThrow();
    }
}
