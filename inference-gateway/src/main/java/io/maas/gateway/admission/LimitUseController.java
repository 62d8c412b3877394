package io.maas.gateway.admission;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.auth.ConsoleAccess;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /console/tenants/{tenantId}/limit-use} (the console's secret, {@link ConsoleAccess}): a
 * tenant's own per-minute limits (for every model, and per model) and how much of each the current
 * window has used, read without counting anything ({@link AdmissionStore#peek}). Requests and tokens
 * are the store's counts, shared by every replica when the store is Redis; concurrent requests are
 * those in flight at this gateway replica. Only the tenant's policies, never a key's or another
 * tenant's: the console asks for the signed-in person's tenant.
 */
@RestController
class LimitUseController {

    /** A limit and its use; {@code limit} null when not set. */
    record Use(Long limit, long used) {
    }

    /**
     * @param model              null: the policy for every model
     * @param concurrentRequests null for a policy of one model: this replica counts requests in flight per tenant, not per model
     */
    record PolicyUse(String model, Use requestsPerMinute, Use tokensPerMinute, Use concurrentRequests) {
    }

    /** @param windowEndsAt when the per-minute counts start afresh */
    record LimitUse(UUID tenantId, Instant windowEndsAt, List<PolicyUse> policies) {
    }

    private final LimitPolicies policies;
    private final AdmissionStore store;
    private final Admitter admitter;
    private final Clock clock;

    LimitUseController(LimitPolicies policies, AdmissionStore store, Admitter admitter, Clock clock) {
        this.policies = policies;
        this.store = store;
        this.admitter = admitter;
        this.clock = clock;
    }

    @GetMapping(ConsoleAccess.PATH_PREFIX + "tenants/{tenantId}/limit-use")
    LimitUse limitUse(@PathVariable UUID tenantId) {
        Instant now = clock.instant();
        List<LimitPolicy> rated;
        try {
            rated = policies.of(tenantId, null).policies().stream().filter(p -> p.keyId() == null && p.hasRateLimits()).toList();
        } catch (EmptyResultDataAccessException e) {
            throw new ApiException(ApiError.NOT_FOUND, "No tenant " + tenantId + ".", null);
        }
        long millis = now.toEpochMilli();
        Instant windowEnd = Instant.ofEpochMilli(millis - Math.floorMod(millis, MemoryAdmissionStore.WINDOW_MILLIS) + MemoryAdmissionStore.WINDOW_MILLIS);
        if (rated.isEmpty()) {
            return new LimitUse(tenantId, windowEnd, List.of());
        }
        AdmissionStore.Decision counts;
        try {
            counts = store.peek(rated.stream().map(LimitPolicy::scope).toList(), millis);
        } catch (AdmissionStore.StoreUnavailableException e) {
            throw new ApiException(ApiError.LIMITS_UNAVAILABLE, "The gateway's counter store cannot be reached; try again in a few seconds.", null);
        }
        List<PolicyUse> uses = new ArrayList<>();
        for (int i = 0; i < rated.size(); i++) {
            LimitPolicy p = rated.get(i);
            uses.add(new PolicyUse(p.model(), new Use(p.requestsPerMinute(), counts.requestsUsed()[i]),
                    new Use(p.tokensPerMinute(), counts.tokensUsed()[i]),
                    p.model() == null ? new Use(p.maxConcurrentRequests(), admitter.inFlightHere(p.scope())) : null));
        }
        return new LimitUse(tenantId, windowEnd, uses);
    }
}
