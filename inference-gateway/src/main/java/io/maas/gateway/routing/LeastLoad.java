package io.maas.gateway.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The candidate with the least load ({@link Endpoint#load}: the engine's running + waiting while
 * fresh, at least this gateway's in-flight count); ties go round in turn, so that equally idle
 * endpoints share a burst instead of the first one taking it all.
 */
final class LeastLoad implements Picker {

    private final AtomicInteger next = new AtomicInteger();
    private final long staleAfterNanos;

    LeastLoad(long staleAfterNanos) {
        this.staleAfterNanos = staleAfterNanos;
    }

    @Override
    public Decision pick(List<Endpoint> candidates, PromptBlocks prompt, long now) {
        if (candidates.size() == 1) {
            return new Decision(candidates.getFirst(), Reason.ONLY_CANDIDATE);
        }
        return new Decision(leastLoaded(candidates, now), Reason.LEAST_LOAD);
    }

    Endpoint leastLoaded(List<Endpoint> candidates, long now) {
        int size = candidates.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        Endpoint best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            Endpoint endpoint = candidates.get((start + i) % size);
            int load = endpoint.load(now, staleAfterNanos);
            if (load < bestLoad) {
                best = endpoint;
                bestLoad = load;
            }
        }
        return best;
    }
}
