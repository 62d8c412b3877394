package io.maas.tenant.apikey;

import io.maas.api.keys.ApiKeySecret;
import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.Tenants;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issuing, listing and revoking a tenant's API keys. A key's secret is returned once, by
 * {@link #create}, and never stored. Revocation and expiry are rows in the database: every gateway
 * replica re-reads a key at least every {@code platform.gateway.key-cache-ttl} (3 s), so a revoked
 * or expired key stops working everywhere within that time.
 *
 * <p>Who: {@code PLATFORM_ADMIN} and the tenant's {@code TENANT_ADMIN} manage every key of the
 * tenant; a {@code DEVELOPER} creates keys and sees and revokes only its own; {@code FINANCE} and
 * {@code TENANT_FINANCE} may list.
 */
@Service
class ApiKeys {

    /** A new key with its secret: the only time the secret is shown. */
    record Created(ApiKeyView key, String secret) {
    }

    private final ApiKeyRepository keys;
    private final Tenants tenants;
    private final AuditLog audit;
    private final Clock clock;

    ApiKeys(ApiKeyRepository keys, Tenants tenants, AuditLog audit, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    Created create(UUID tenantId, String name, Instant expiresAt, List<String> allowedModels) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.DEVELOPER);
        tenants.visible(tenantId);
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.badRequest("expiresAt " + expiresAt + " is not in the future; leave it out for a key that does not expire.");
        }
        String secret = ApiKeySecret.generate();
        ApiKey key = keys.save(new ApiKey(tenantId, name, ApiKeySecret.prefix(secret), ApiKeySecret.hash(secret), now, expiresAt,
                caller.userId(), allowedModels == null ? null : allowedModels.toArray(String[]::new)));
        ApiKeyView view = ApiKeyView.of(key, now);
        audit.record("api-key.create", tenantId, "api-key/" + key.id(), null, view);
        return new Created(view, secret);
    }

    @Transactional(readOnly = true)
    List<ApiKeyView> list(UUID tenantId) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        tenants.visible(tenantId);
        Instant now = clock.instant();
        List<ApiKey> found = caller.is(Role.DEVELOPER)
                ? keys.findByTenantIdAndOwnerIdOrderByCreatedAtDesc(tenantId, caller.userId())
                : keys.findByTenantIdOrderByCreatedAtDesc(tenantId);
        return found.stream().map(k -> ApiKeyView.of(k, now)).toList();
    }

    @Transactional(readOnly = true)
    ApiKeyView get(UUID tenantId, UUID keyId) {
        return ApiKeyView.of(visibleKey(tenantId, keyId), clock.instant());
    }

    @Transactional
    ApiKeyView revoke(UUID tenantId, UUID keyId) {
        Caller caller = CurrentCaller.get();
        ApiKey key = visibleKey(tenantId, keyId);
        caller.require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN, Role.DEVELOPER);
        Instant now = clock.instant();
        ApiKeyView before = ApiKeyView.of(key, now);
        key.revoke(now);
        ApiKeyView after = ApiKeyView.of(key, now);
        audit.record("api-key.revoke", tenantId, "api-key/" + keyId, before, after);
        return after;
    }

    /** The key if the caller may see it: of its tenant and, for a developer, its own; else 404. */
    private ApiKey visibleKey(UUID tenantId, UUID keyId) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        return keys.findByIdAndTenantId(keyId, tenantId)
                .filter(k -> !caller.is(Role.DEVELOPER) || caller.userId().equals(k.ownerId()))
                .orElseThrow(() -> ApiException.notFound("API key", keyId));
    }
}
