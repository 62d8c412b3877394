package io.maas.gateway.admission;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The limits of a tenant ({@code keyId} null) or of one key, for every model ({@code model} null) or
 * one, from {@code limit_policy}. A null limit is no limit.
 */
record LimitPolicy(UUID tenantId, UUID keyId, String model, Long requestsPerMinute, Long tokensPerMinute,
                   Long maxConcurrentRequests, Long dailyTokens, Long monthlyTokens, BigDecimal monthlySpendLimit,
                   String monthlySpendCurrency) {

    /** The counter namespace of this policy's scope, the same on every replica. */
    String scope() {
        return (keyId == null ? "t:" + tenantId : "k:" + keyId) + (model == null ? "" : ":m:" + model);
    }

    /** A name for messages: "tenant", "API key", with " for model m". */
    String describe() {
        return (keyId == null ? "tenant" : "API key") + (model == null ? "" : " for model '" + model + "'");
    }

    /**
     * This policy (the platform's layer of a scope) and {@code tenant}'s layer of the same scope as one: the
     * smaller of each limit. Spend limits in two currencies cannot be compared: the platform's holds.
     */
    LimitPolicy tighter(LimitPolicy tenant) {
        boolean tenantSpend = monthlySpendLimit == null || tenant.monthlySpendLimit != null
                && monthlySpendCurrency.equals(tenant.monthlySpendCurrency) && tenant.monthlySpendLimit.compareTo(monthlySpendLimit) < 0;
        return new LimitPolicy(tenantId, keyId, model, min(requestsPerMinute, tenant.requestsPerMinute),
                min(tokensPerMinute, tenant.tokensPerMinute), min(maxConcurrentRequests, tenant.maxConcurrentRequests),
                min(dailyTokens, tenant.dailyTokens), min(monthlyTokens, tenant.monthlyTokens),
                tenantSpend ? tenant.monthlySpendLimit : monthlySpendLimit, tenantSpend ? tenant.monthlySpendCurrency : monthlySpendCurrency);
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    boolean hasRateLimits() {
        return requestsPerMinute != null || tokensPerMinute != null || maxConcurrentRequests != null;
    }

    /** Limits kept in PostgreSQL with the ledger: token budgets and spend. */
    boolean hasDurableLimits() {
        return dailyTokens != null || monthlyTokens != null || monthlySpendLimit != null;
    }
}
