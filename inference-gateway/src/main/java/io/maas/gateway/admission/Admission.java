package io.maas.gateway.admission;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An admitted request's reservations, to be ended exactly once: {@link #settle} with the engine's
 * real usage after the usage record committed (whose transaction also ended the money reservation,
 * or will, when it is replayed from the usage spool), or {@link #release} when the request ends without
 * having run (the engine refused it or could not be reached, or the gateway failed first). Both are
 * idempotent and the first call wins, so a {@code finally} can always call {@link #release}.
 *
 * <p>While neither has been called, the reservations' leases are renewed ({@link LeaseRenewal}).
 * A failure to reach the counter store while settling is logged and not passed on: the request's
 * answer is already decided, and its reservation ends at its lease at the latest.
 */
public final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final String requestId;
    private final long outputCap;
    private final AdmissionStore store;
    private final DurableReservations durable;
    private final LeaseRenewal leases;
    private final Map<String, String> headers;
    private final AtomicBoolean ended = new AtomicBoolean();

    Admission(String requestId, long outputCap, AdmissionStore store, DurableReservations durable, LeaseRenewal leases,
              Map<String, String> headers) {
        this.requestId = requestId;
        this.outputCap = outputCap;
        this.store = store;
        this.durable = durable;
        this.leases = leases;
        this.headers = Map.copyOf(headers);
    }

    String requestId() {
        return requestId;
    }

    /** The output tokens reserved, which the engine must be sent as its {@code max_tokens}. */
    public long outputCap() {
        return outputCap;
    }

    /** The {@code x-ratelimit-*} headers of the limits that bind this request; empty when none is set. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Charges {@code tokens} (prompt + completion, the engine's count) instead of the worst case, and frees the rest. */
    public void settle(long tokens) {
        end(tokens, true);
    }

    /**
     * Ends the reservation of a request that did not run: nothing is charged and it does not count as a
     * request. Returns whether this call ended it (false: it had been settled or released before).
     */
    public boolean release() {
        return end(0, false);
    }

    private boolean end(long tokens, boolean ran) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        leases.ended(requestId);
        if (durable != null && !ran) {
            durable.end(requestId); // a request that ran ends it with its usage record (UsageRecorder)
        }
        if (store != null) {
            try {
                store.settle(requestId, tokens, ran);
            } catch (AdmissionStore.StoreUnavailableException e) {
                log.warn("request={}: could not settle its rate-limit reservation ({}); it ends with its lease", requestId, e.getMessage());
            }
        }
        return true;
    }
}
