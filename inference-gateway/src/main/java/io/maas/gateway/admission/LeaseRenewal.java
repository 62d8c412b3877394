package io.maas.gateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Keeps the holds of the requests this gateway is running: every third of
 * {@code platform.gateway.admission.lease}, the leases of all of them are extended to now + lease, in
 * one batch per store (the concurrency slots and rate reservations of the {@link AdmissionStore}, the
 * money and budget reservations of {@link DurableReservations}).
 *
 * <p><b>Why this holds.</b> A request keeps its holds for as long as it runs, however much longer than
 * one lease that is, since two renewals can fail (the store briefly unreachable) before a lease runs out.
 * A gateway that dies stops renewing, so its holds lapse at most one lease after its last renewal, as
 * before. Renewal is bounded by the request's hard deadline ({@code platform.gateway.request-deadline}
 * plus the receipt wait): a request the gateway failed to end (a stuck thread) is renewed no longer than
 * that, and its holds lapse at most one lease later.
 */
@Component
class LeaseRenewal {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

    /** What a live request holds, renewed while {@link System#nanoTime()} is before {@code untilNanos}. */
    private record Live(boolean counted, boolean reserved, long untilNanos) {
    }

    private final AdmissionStore store;
    private final DurableReservations durable;
    private final Clock clock;
    private final Duration lease;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    LeaseRenewal(AdmissionStore store, DurableReservations durable, Clock clock, AdmissionProperties properties, TaskScheduler scheduler) {
        this.store = store;
        this.durable = durable;
        this.clock = clock;
        this.lease = properties.lease();
        Duration every = lease.dividedBy(3);
        scheduler.scheduleAtFixedRate(this::renew, Instant.now().plus(every), every);
    }

    /**
     * Renews the holds of {@code requestId} (its rate-limit reservation when {@code counted}, its durable one when
     * {@code reserved}) until it {@link #ended} or for {@code runsAtMost}.
     */
    void running(String requestId, boolean counted, boolean reserved, Duration runsAtMost) {
        if (counted || reserved) {
            live.put(requestId, new Live(counted, reserved, System.nanoTime() + runsAtMost.toNanos()));
        }
    }

    void ended(String requestId) {
        live.remove(requestId);
    }

    /** Extends the leases of every live request; a store that cannot be reached is tried again at the next turn. */
    void renew() {
        long nowNanos = System.nanoTime();
        List<String> counted = new ArrayList<>();
        List<String> reserved = new ArrayList<>();
        live.forEach((requestId, holds) -> {
            if (nowNanos - holds.untilNanos() < 0) {
                if (holds.counted()) {
                    counted.add(requestId);
                }
                if (holds.reserved()) {
                    reserved.add(requestId);
                }
            }
        });
        Instant now = clock.instant();
        if (!counted.isEmpty()) {
            try {
                store.renew(counted, now.toEpochMilli(), lease.toMillis());
            } catch (AdmissionStore.StoreUnavailableException e) {
                log.warn("Could not renew the rate-limit leases of {} requests in flight ({}); trying again in {}", counted.size(),
                        e.getMessage(), lease.dividedBy(3));
            }
        }
        if (!reserved.isEmpty()) {
            try {
                durable.renew(reserved, now, lease);
            } catch (DataAccessException e) {
                log.warn("Could not renew the reservations of {} requests in flight ({}); trying again in {}", reserved.size(),
                        e.getMostSpecificCause().getMessage(), lease.dividedBy(3));
            }
        }
    }
}
