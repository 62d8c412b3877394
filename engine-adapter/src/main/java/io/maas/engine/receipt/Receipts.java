package io.maas.engine.receipt;

import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The receipts of recent requests, in memory, so that the gateway can bill a request whose client
 * went away from the engine's own count. Bounded: a settled receipt is dropped after {@code ttl};
 * beyond {@code maxEntries} the oldest receipts go first, settled ones before running ones.
 */
public final class Receipts {

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Receipt> byId = new LinkedHashMap<>();

    public Receipts(int maxEntries, Duration ttl, Clock clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A new running receipt; an id may not be reused while its request runs. */
    public synchronized Receipt open(String id) {
        evict();
        Receipt previous = byId.get(id);
        if (previous != null && previous.state() == EngineReceipt.State.RUNNING) {
            throw new ApiException(ApiError.INVALID_REQUEST,
                    "A request with this " + RequestId.HEADER + " is still running; use a new id.", RequestId.HEADER);
        }
        byId.remove(id);
        Receipt receipt = new Receipt(id);
        byId.put(id, receipt);
        trim();
        return receipt;
    }

    public synchronized Optional<Receipt> find(String id) {
        evict();
        return Optional.ofNullable(byId.get(id));
    }

    public Instant now() {
        return clock.instant();
    }

    private void evict() {
        Instant cutoff = clock.instant().minus(ttl);
        byId.values().removeIf(r -> r.settledAt() != null && r.settledAt().isBefore(cutoff));
    }

    private void trim() {
        for (Iterator<Receipt> it = byId.values().iterator(); byId.size() > maxEntries && it.hasNext(); ) {
            if (it.next().state() != EngineReceipt.State.RUNNING) {
                it.remove();
            }
        }
        for (Iterator<Receipt> it = byId.values().iterator(); byId.size() > maxEntries && it.hasNext(); ) {
            it.next();
            it.remove();
        }
    }
}
