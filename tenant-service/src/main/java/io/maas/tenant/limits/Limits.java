package io.maas.tenant.limits;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.tenant.system.Role;
import io.maas.tenant.tenant.Tenants;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admission limits of a tenant and of its API keys, each optionally for one model
 * ({@code limit_policy}). Every gateway replica reads them at least every 3 s, so a change binds
 * everywhere within 5 s. They bind every key, an administrator's included.
 *
 * <p>Who: {@code PLATFORM_ADMIN} sets any tenant's and key's limits, {@code TENANT_ADMIN} those of its
 * own tenant; {@code FINANCE} reads every tenant's, {@code TENANT_FINANCE} its own tenant's. A
 * tenant or key of another tenant is 404. Every change is audited with the limits before and after.
 */
@Service
class Limits {

    /** Limits as stored, with their scope: the fields of {@link LimitsBody} plus tenantId, keyId and model. */
    record View(UUID tenantId, UUID keyId, String model, @JsonUnwrapped LimitsBody limits) {
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
        Optional<LimitsBody> stored = jdbc.sql("""
                        SELECT requests_per_minute, tokens_per_minute, max_concurrent_requests, daily_tokens, monthly_tokens,
                               monthly_spend_limit, monthly_spend_currency
                        FROM limit_policy
                        WHERE tenant_id = ? AND api_key_id IS NOT DISTINCT FROM ? AND model IS NOT DISTINCT FROM ?""")
                .params(tenantId, keyId, model)
                .query((rs, row) -> new LimitsBody(rs.getObject("requests_per_minute", Long.class), rs.getObject("tokens_per_minute", Long.class),
                        rs.getObject("max_concurrent_requests", Long.class), rs.getObject("daily_tokens", Long.class),
                        rs.getObject("monthly_tokens", Long.class),
                        rs.getBigDecimal("monthly_spend_limit") == null ? null
                                : new LimitsBody.Money(rs.getBigDecimal("monthly_spend_limit"), rs.getString("monthly_spend_currency"))))
                .optional();
        return new View(tenantId, keyId, model, stored.orElse(new LimitsBody(null, null, null, null, null, null)));
    }

    private View write(UUID tenantId, UUID keyId, String model, LimitsBody limits) {
        if (model != null && model.isBlank()) {
            throw ApiException.badRequest("model must not be blank; leave it out for limits that apply to every model.");
        }
        View before = read(tenantId, keyId, model);
        jdbc.sql("DELETE FROM limit_policy WHERE tenant_id = ? AND api_key_id IS NOT DISTINCT FROM ? AND model IS NOT DISTINCT FROM ?")
                .params(tenantId, keyId, model).update();
        if (!limits.unlimited()) {
            LimitsBody.Money spend = limits.monthlySpendLimit();
            jdbc.sql("""
                            INSERT INTO limit_policy (tenant_id, api_key_id, model, requests_per_minute, tokens_per_minute,
                                max_concurrent_requests, daily_tokens, monthly_tokens, monthly_spend_limit, monthly_spend_currency)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(tenantId, keyId, model, limits.requestsPerMinute(), limits.tokensPerMinute(), limits.maxConcurrentRequests(),
                            limits.dailyTokens(), limits.monthlyTokens(), spend == null ? null : spend.amount(),
                            spend == null ? null : spend.currency())
                    .update();
        }
        View after = read(tenantId, keyId, model);
        audit.record("limits.set", tenantId, (keyId == null ? "tenant/" + tenantId : "api-key/" + keyId) + "/limits"
                + (model == null ? "" : "?model=" + model), before, after);
        return after;
    }
}
