package io.maas.tenant.limits;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.Tenants;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admission limits of a tenant and of its API keys, each optionally for one model
 * ({@code limit_policy}). Every gateway replica reads them at least every 3 s, so a change binds
 * everywhere within 5 s. They bind every key, an administrator's included.
 *
 * <p>Two layers per scope, by who set them: the platform's ({@code PLATFORM_ADMIN}) and the tenant's
 * own ({@code TENANT_ADMIN}). Each writes, replaces and removes only its own layer; a tenant may only
 * tighten (a value above the platform's is 400), and gateways enforce the tighter of both field by
 * field, so no order of changes loosens a platform limit. Reads answer the limits in force at the top
 * level and both layers under {@code layers}.
 *
 * <p>Who: {@code PLATFORM_ADMIN} sets any tenant's and key's limits, {@code TENANT_ADMIN} those of its
 * own tenant; {@code FINANCE} reads every tenant's, {@code TENANT_FINANCE} its own tenant's. A
 * tenant or key of another tenant is 404. Every change is audited with the limits before and after.
 */
@Service
class Limits {

    /** Who set a layer of limits. */
    enum Layer {
        PLATFORM, TENANT
    }

    /** The limits of one scope as they bind (the fields of {@link LimitsBody}), and both layers they come from. */
    record View(UUID tenantId, UUID keyId, String model, @JsonUnwrapped LimitsBody limits, Layers layers) {
    }

    record Layers(LimitsBody platform, LimitsBody tenant) {
    }

    private final JdbcClient jdbc;
    private final Tenants tenants;
    private final AuditLog audit;

    Limits(JdbcClient jdbc, Tenants tenants, AuditLog audit) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    View ofTenant(UUID tenantId, String model) {
        tenants.visible(tenantId);
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE);
        return read(tenantId, null, model);
    }

    @Transactional
    View setForTenant(UUID tenantId, String model, LimitsBody limits) {
        tenants.visible(tenantId);
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        return write(tenantId, null, model, limits);
    }

    @Transactional(readOnly = true)
    View ofKey(UUID keyId, String model) {
        UUID tenantId = tenantOfKey(keyId);
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE);
        return read(tenantId, keyId, model);
    }

    @Transactional
    View setForKey(UUID keyId, String model, LimitsBody limits) {
        UUID tenantId = tenantOfKey(keyId);
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        return write(tenantId, keyId, model, limits);
    }

    /** The key's tenant when the caller may see it; 404 naming the key only, so nothing of another tenant leaks. */
    private UUID tenantOfKey(UUID keyId) {
        Caller caller = CurrentCaller.get();
        return jdbc.sql("SELECT tenant_id FROM api_key WHERE id = ?").param(keyId).query(UUID.class).optional()
                .filter(tenant -> caller.seesAllTenants() || tenant.equals(caller.tenantId()))
                .orElseThrow(() -> ApiException.notFound("API key", keyId));
    }

    private View read(UUID tenantId, UUID keyId, String model) {
        LimitsBody platform = read(tenantId, keyId, model, Layer.PLATFORM);
        LimitsBody tenant = read(tenantId, keyId, model, Layer.TENANT);
        return new View(tenantId, keyId, model, platform.tighter(tenant), new Layers(platform, tenant));
    }

    private LimitsBody read(UUID tenantId, UUID keyId, String model, Layer layer) {
        return jdbc.sql("""
                        SELECT requests_per_minute, tokens_per_minute, max_concurrent_requests, daily_tokens, monthly_tokens,
                               monthly_spend_limit, monthly_spend_currency
                        FROM limit_policy
                        WHERE tenant_id = ? AND api_key_id IS NOT DISTINCT FROM ? AND model IS NOT DISTINCT FROM ? AND layer = ?""")
                .params(tenantId, keyId, model, layer.name())
                .query((rs, row) -> new LimitsBody(rs.getObject("requests_per_minute", Long.class), rs.getObject("tokens_per_minute", Long.class),
                        rs.getObject("max_concurrent_requests", Long.class), rs.getObject("daily_tokens", Long.class),
                        rs.getObject("monthly_tokens", Long.class),
                        rs.getBigDecimal("monthly_spend_limit") == null ? null
                                : new LimitsBody.Money(rs.getBigDecimal("monthly_spend_limit"), rs.getString("monthly_spend_currency"))))
                .optional()
                .orElse(LimitsBody.NONE);
    }

    /** Replaces the caller's layer of the scope: a platform admin's is the platform's, a tenant admin's the tenant's. */
    private View write(UUID tenantId, UUID keyId, String model, LimitsBody limits) {
        if (model != null && model.isBlank()) {
            throw ApiException.badRequest("model must not be blank; leave it out for limits that apply to every model.");
        }
        Layer layer = CurrentCaller.get().is(Role.PLATFORM_ADMIN) ? Layer.PLATFORM : Layer.TENANT;
        // the platform's layer is locked while a tenant's is checked against it, so the check holds when this commits
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('limit_policy'), hashtext(?))")
                .param(tenantId + "/" + keyId + "/" + model).query().singleRow();
        View before = read(tenantId, keyId, model);
        if (layer == Layer.TENANT) {
            limits.loosens(before.layers().platform()).ifPresent(field -> {
                throw ApiException.badRequest(field + " is looser than the platform's limit for this "
                        + (keyId == null ? "tenant" : "key") + "; a tenant may only tighten it.");
            });
        }
        jdbc.sql("""
                        DELETE FROM limit_policy
                        WHERE tenant_id = ? AND api_key_id IS NOT DISTINCT FROM ? AND model IS NOT DISTINCT FROM ? AND layer = ?""")
                .params(tenantId, keyId, model, layer.name()).update();
        if (!limits.unlimited()) {
            LimitsBody.Money spend = limits.monthlySpendLimit();
            jdbc.sql("""
                            INSERT INTO limit_policy (tenant_id, api_key_id, model, layer, requests_per_minute, tokens_per_minute,
                                max_concurrent_requests, daily_tokens, monthly_tokens, monthly_spend_limit, monthly_spend_currency)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(tenantId, keyId, model, layer.name(), limits.requestsPerMinute(), limits.tokensPerMinute(),
                            limits.maxConcurrentRequests(), limits.dailyTokens(), limits.monthlyTokens(),
                            spend == null ? null : spend.amount(), spend == null ? null : spend.currency())
                    .update();
        }
        View after = read(tenantId, keyId, model);
        audit.record("limits.set", tenantId, (keyId == null ? "tenant/" + tenantId : "api-key/" + keyId) + "/limits"
                + (model == null ? "" : "?model=" + model), before, after);
        return after;
    }
}
