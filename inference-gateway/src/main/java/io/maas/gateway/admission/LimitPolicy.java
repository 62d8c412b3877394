package io.maas.gateway.admission;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One row of {@code limit_policy}: the limits of a tenant ({@code keyId} null) or of one key, for every
 * model ({@code model} null) or one. A null limit is no limit.
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

    boolean hasRateLimits() {
        return requestsPerMinute != null || tokensPerMinute != null || maxConcurrentRequests != null;
    }

    /** Limits kept in PostgreSQL with the ledger: token budgets and spend. */
    boolean hasDurableLimits() {
        return dailyTokens != null || monthlyTokens != null || monthlySpendLimit != null;
    }
}
