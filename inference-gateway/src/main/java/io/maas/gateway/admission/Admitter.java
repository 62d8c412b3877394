package io.maas.gateway.admission;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.pricebook.TenantPriceBooks;
import io.maas.pricing.PriceBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Admission, between resolving the model and calling an engine: every limit of the caller's tenant
 * and key (and their policies for the model) is checked and the request's worst case reserved, or
 * the request is refused and never reaches an engine.
 *
 * <ul>
 *   <li>requests per minute, tokens per minute, concurrent requests: the {@link AdmissionStore}
 *       (memory or Redis), 429 {@code rate_limit_exceeded} with {@code Retry-After};</li>
 *   <li>daily and monthly token budgets, monthly spend, prepaid balance, postpaid credit:
 *       {@link DurableReservations} in PostgreSQL, 429 {@code insufficient_quota} or 402;</li>
 *   <li>the counter store unreachable: 503 {@code limits_unavailable} (fail closed), or, with
 *       {@code fail-open}, admitted without rate limits and logged.</li>
 * </ul>
 * Limits bind every key, an administrator's included. Every admission decides the output cap the
 * engine is sent ({@link Admission#outputCap()}), so the engine can never produce more than was reserved.
 *
 * <p>An admitted request's holds are renewed while it runs ({@link LeaseRenewal}), up to its hard deadline
 * ({@code platform.gateway.request-deadline} plus the receipt wait), which may exceed the lease. The worst
 * case is priced over admission … admission + the longer of lease and deadline, the latest instant a
 * request can complete at.
 */
@Component
public class Admitter {

    private static final Logger log = LoggerFactory.getLogger(Admitter.class);

    private final LimitPolicies policies;
    private final AdmissionStore store;
    private final DurableReservations durable;
    private final TenantPriceBooks books;
    private final LeaseRenewal leases;
    private final AdmissionProperties properties;
    private final Duration runsAtMost;
    private final Duration priceHorizon;
    private final Map<String, AtomicInteger> entered = new ConcurrentHashMap<>();

    Admitter(LimitPolicies policies, AdmissionStore store, DurableReservations durable, TenantPriceBooks books,
             LeaseRenewal leases, AdmissionProperties properties, GatewayProperties gateway) {
        this.policies = policies;
        this.store = store;
        this.durable = durable;
        this.books = books;
        this.leases = leases;
        this.properties = properties;
        this.runsAtMost = gateway.requestDeadline().plus(gateway.receiptWait());
        this.priceHorizon = runsAtMost.compareTo(properties.lease()) > 0 ? runsAtMost : properties.lease();
    }

    /**
     * Admits {@code demand} of {@code caller} at {@code now}, the admission instant (its rate windows and
     * price horizon), or throws the refusal. The admission carries the output cap to send the engine.
     */
    public Admission admit(CallerKey caller, Demand demand, Instant now) {
        String requestId = demand.requestId();
        String model = demand.model();
        long outputTokens = outputCap(demand);
        LimitPolicies.Applicable applicable = policies.of(caller.tenantId(), caller.keyId());
        List<LimitPolicy> binding = applicable.forModel(model);
        boolean moneyMayBind = applicable.billing().prepaid() || applicable.billing().creditLimit() != null
                || binding.stream().anyMatch(p -> p.monthlySpendLimit() != null);
        List<LimitPolicy> rated = binding.stream().filter(LimitPolicy::hasRateLimits).toList();
        if (rated.isEmpty() && !moneyMayBind && binding.stream().noneMatch(LimitPolicy::hasDurableLimits)) {
            return new Admission(requestId, outputTokens, null, null, leases, Map.of());
        }
        long promptTokens = demand.promptBytes() + properties.promptOverheadTokens();
        Optional<PriceBook> book = moneyMayBind ? books.of(caller.tenantId(), properties.policyCacheTtl()) : Optional.empty();
        WorstCase worst = WorstCase.of(promptTokens, outputTokens, book, model, demand.priceClass(), now, now.plus(priceHorizon));

        Map<String, String> headers = Map.of();
        boolean counted = false;
        if (!rated.isEmpty()) {
            var ask = new AdmissionStore.Ask(requestId, rated.stream()
                    .map(p -> new AdmissionStore.ScopeLimits(p.scope(), p.requestsPerMinute(), p.tokensPerMinute(), p.maxConcurrentRequests()))
                    .toList(), worst.tokens(), now.toEpochMilli(), properties.lease().toMillis());
            AdmissionStore.Decision decision;
            try {
                decision = store.acquire(ask);
            } catch (AdmissionStore.StoreUnavailableException e) {
                decision = unavailable(requestId, e);
            }
            if (decision != null) {
                headers = RateLimitHeaders.of(rated, decision, now);
                if (!decision.admitted()) {
                    throw refusal(rated.get(decision.refusedScope()), decision, worst, now).withHeaders(headers);
                }
                counted = true;
            }
        }
        AdmissionStore counters = counted ? store : null;
        if (DurableReservations.needed(binding, applicable.billing(), worst.priced())) {
            try {
                durable.reserve(requestId, caller.tenantId(), caller.keyId(), model, binding, applicable.billing(), worst, now, properties.lease());
            } catch (RuntimeException e) {
                new Admission(requestId, outputTokens, counters, null, leases, Map.of()).release();
                if (e instanceof ApiException refused) {
                    throw refused.withHeaders(headers);
                }
                throw e;
            }
            return running(new Admission(requestId, outputTokens, counters, durable, leases, headers), counted, true);
        }
        return running(new Admission(requestId, outputTokens, counters, null, leases, headers), counted, false);
    }

    private Admission running(Admission admission, boolean counted, boolean reserved) {
        leases.running(admission.requestId(), counted, reserved, runsAtMost);
        return admission;
    }

    /**
     * Settles the reservations of a request whose gateway died, charging {@code tokens} (its money
     * reservation ended with its usage record); see {@link Admission#settle}.
     */
    public void settleLost(String requestId, long tokens) {
        new Admission(requestId, 0, store, null, leases, Map.of()).settle(tokens);
    }

    /** Ends the reservations of a request whose gateway died and that no engine ran; see {@link Admission#release}. */
    public void releaseLost(String requestId) {
        new Admission(requestId, 0, store, durable, leases, Map.of()).release();
    }

    /**
     * A request of {@code caller} on its way in, counted against the concurrency limits of its key and
     * tenant (those for every model) in this process from before its body is read until {@link #close}.
     */
    public final class Entry implements AutoCloseable {

        private final List<AtomicInteger> counted;

        private Entry(List<AtomicInteger> counted) {
            this.counted = counted;
        }

        @Override
        public void close() {
            counted.forEach(AtomicInteger::decrementAndGet);
        }
    }

    /**
     * Lets a request of {@code caller} in before its body is read, or refuses it with 429 when its key or
     * tenant already has as many requests in this process as it may run at once anywhere: such a request
     * would be refused by {@link #admit} anyway, so its body is never read or held. (The limit across
     * replicas is enforced by {@link #admit}.)
     */
    public Entry enter(CallerKey caller) {
        List<LimitPolicy> limited = policies.of(caller.tenantId(), caller.keyId()).forModel(null).stream()
                .filter(p -> p.maxConcurrentRequests() != null).toList();
        List<AtomicInteger> counted = new ArrayList<>(limited.size());
        for (LimitPolicy policy : limited) {
            AtomicInteger inFlight = entered.computeIfAbsent(policy.scope(), scope -> new AtomicInteger());
            counted.add(inFlight);
            int now = inFlight.incrementAndGet();
            if (now > policy.maxConcurrentRequests()) {
                counted.forEach(AtomicInteger::decrementAndGet);
                throw new ApiException(ApiError.RATE_LIMIT_EXCEEDED, "Too many requests at once: your " + policy.describe()
                        + " may run " + policy.maxConcurrentRequests() + " requests concurrently and has " + (now - 1)
                        + " in flight. Retry when one has finished.").withHeader("Retry-After", "1");
            }
        }
        return new Entry(counted);
    }

    /** Requests of {@code scope} in flight in this process now, as {@link #enter} counts them (only for scopes with a concurrency limit). */
    int inFlightHere(String scope) {
        AtomicInteger inFlight = entered.get(scope);
        return inFlight == null ? 0 : inFlight.get();
    }

    /**
     * The {@code x-ratelimit-*} headers of {@code caller}'s model-independent rate limits as they stand,
     * for answers that run nothing ({@code GET /v1/models}); empty when none is set, or when the counter
     * store cannot say (such an answer is not refused for that).
     */
    public Map<String, String> headers(CallerKey caller, Instant now) {
        List<LimitPolicy> rated = policies.of(caller.tenantId(), caller.keyId()).forModel(null).stream()
                .filter(LimitPolicy::hasRateLimits).toList();
        if (rated.isEmpty()) {
            return Map.of();
        }
        try {
            return RateLimitHeaders.of(rated, store.peek(rated.stream().map(LimitPolicy::scope).toList(), now.toEpochMilli()), now);
        } catch (AdmissionStore.StoreUnavailableException e) {
            log.debug("No rate-limit headers for key {}: {}", caller.prefix(), e.getMessage());
            return Map.of();
        }
    }

    /** Null when failing open (the request goes on uncounted); otherwise throws 503. */
    private AdmissionStore.Decision unavailable(String requestId, AdmissionStore.StoreUnavailableException e) {
        if (properties.failOpen()) {
            log.warn("request={}: rate-limit store unreachable ({}); admitted without rate limits (fail-open)", requestId, e.getMessage());
            return null;
        }
        log.warn("request={}: rate-limit store unreachable ({}); refused (fail-closed)", requestId, e.getMessage());
        throw new ApiException(ApiError.LIMITS_UNAVAILABLE, "The gateway cannot check your rate limits right now"
                + " (its counter store is unreachable), so it does not run the request. Retry in a few seconds.")
                .withHeader("Retry-After", "5");
    }

    private static ApiException refusal(LimitPolicy policy, AdmissionStore.Decision decision, WorstCase worst, Instant now) {
        long retryAfter = RateLimitHeaders.secondsToWindowEnd(now);
        String message = switch (decision.refusedLimit()) {
            case REQUESTS -> "Rate limit reached: your " + policy.describe() + " may send " + policy.requestsPerMinute()
                    + " requests per minute and has sent " + decision.inUse() + " this minute. Retry after " + retryAfter + " s.";
            case TOKENS -> worst.tokens() > policy.tokensPerMinute()
                    ? "This request may need up to " + worst.tokens() + " tokens (prompt upper bound + max_tokens), more than the "
                    + policy.tokensPerMinute() + " tokens per minute your " + policy.describe() + " may use. Lower max_tokens or shorten the prompt."
                    : "Rate limit reached: your " + policy.describe() + " may use " + policy.tokensPerMinute() + " tokens per minute; "
                    + decision.inUse() + " are used or reserved this minute and this request may need up to " + worst.tokens()
                    + " (prompt upper bound + max_tokens). Retry after " + retryAfter + " s, or lower max_tokens.";
            case CONCURRENCY -> {
                retryAfter = 1;
                yield "Too many requests at once: your " + policy.describe() + " may run " + policy.maxConcurrentRequests()
                        + " requests concurrently and has " + decision.inUse() + " in flight. Retry when one has finished.";
            }
        };
        return new ApiException(ApiError.RATE_LIMIT_EXCEEDED, message).withHeader("Retry-After", Long.toString(retryAfter));
    }

    /**
     * The output cap to reserve and to send the engine: what the client asked for, lowered to the model's
     * cap; the model's cap when the client set none. The engine is always sent it, so it can never
     * produce more than was reserved.
     */
    private long outputCap(Demand demand) {
        long cap = properties.maxOutputTokens(demand.model());
        return Math.min(demand.outputTokens().orElse(cap), cap);
    }
}
