package io.maas.gateway.admission;

import java.util.List;

/**
 * The counters behind requests-per-minute, tokens-per-minute and concurrency limits: in this process
 * ({@code platform.gateway.admission.store=memory}, one replica) or in Redis ({@code redis}, shared by
 * every replica). Both implement the same rules:
 *
 * <p><b>Windows.</b> Requests and tokens per minute are counted in fixed windows of one calendar
 * minute (UTC, from second 0 to second 60 of each minute, by the gateway's clock). Guarantee: the
 * requests admitted in any one window never exceed its {@code requestsPerMinute}, and the tokens
 * charged to it never exceed its {@code tokensPerMinute}. A request's tokens are charged to the
 * window it was admitted in: its worst case at admission, replaced by its real usage when it
 * settles (so a window can only shrink after the check). Like every fixed window this lets a client
 * use up to twice a limit within 60 s straddling a minute boundary; it never lets a window overrun.
 *
 * <p><b>Atomicity.</b> {@link #acquire} checks every limit of every scope (tenant, key, and their
 * model-specific policies) and, only if all pass, counts the request in all of them, as one atomic
 * step (a lock here, one Lua script in Redis): there is no read-then-write between replicas.
 *
 * <p><b>Leases.</b> A reservation is tied to its request id and holds a concurrency slot until it is
 * settled or its lease ends. The gateway running the request {@link #renew renews} the lease while the
 * request runs, so a request running longer than one lease keeps its slot, and a crashed gateway's
 * slots are freed at most one lease after its last renewal. {@link #settle} is idempotent by request
 * id; settling after the lease ended changes nothing, and the window keeps the worst case, which
 * over-counts and never under-counts.
 *
 * <p>A store that cannot be reached throws {@link StoreUnavailableException}.
 */
public interface AdmissionStore {

    /** One scope's rate limits; null: not limited (and not counted). */
    record ScopeLimits(String scope, Long requestsPerMinute, Long tokensPerMinute, Long maxConcurrent) {
    }

    /**
     * @param tokens the request's worst-case tokens (prompt upper bound + output cap)
     */
    record Ask(String requestId, List<ScopeLimits> scopes, long tokens, long nowMillis, long leaseMillis) {
    }

    enum Limit { REQUESTS, TOKENS, CONCURRENCY }

    /**
     * The answer. {@code requestsUsed[i]} / {@code tokensUsed[i]}: scope i's counts in the current
     * window, including this request when admitted (0 where that limit is not set). Refused: the first
     * scope and limit that refused ({@code refusedScope}, {@code refusedLimit}) and its count in use.
     */
    record Decision(boolean admitted, long[] requestsUsed, long[] tokensUsed, int refusedScope, Limit refusedLimit, long inUse) {

        static Decision admitted(long[] requestsUsed, long[] tokensUsed) {
            return new Decision(true, requestsUsed, tokensUsed, -1, null, 0);
        }

        static Decision refused(long[] requestsUsed, long[] tokensUsed, int scope, Limit limit, long inUse) {
            return new Decision(false, requestsUsed, tokensUsed, scope, limit, inUse);
        }
    }

    /** Checks every limit of {@code ask} and, when all pass, reserves in all of them at once. */
    Decision acquire(Ask ask);

    /**
     * What {@code scopes} have counted in the current window, counting nothing: an admitted decision
     * whose {@code requestsUsed[i]} and {@code tokensUsed[i]} are scope i's counts (for answers that run
     * nothing but still carry the rate-limit headers).
     */
    Decision peek(List<String> scopes, long nowMillis);

    /**
     * Ends request {@code requestId}'s reservation: its windows keep {@code tokens} (its real usage)
     * instead of the worst case, its concurrency slots are freed; with {@code countRequest} false the
     * request is also taken out of the requests-per-minute windows (it was refused later and never ran).
     * Idempotent: a reservation unknown or already settled is left alone.
     */
    void settle(String requestId, long tokens, boolean countRequest);

    /**
     * Extends the leases of the reservations of {@code requestIds} that are still held to
     * {@code nowMillis + leaseMillis} (never shortening one): their concurrency slots hold on. A
     * reservation settled, unknown, or whose lease already ended is left alone, never revived: a slot
     * that lapsed may have been given to another request since.
     */
    void renew(List<String> requestIds, long nowMillis, long leaseMillis);

    /** The counter store could not be reached in time. */
    final class StoreUnavailableException extends RuntimeException {

        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
