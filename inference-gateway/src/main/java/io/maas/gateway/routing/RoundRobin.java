package io.maas.gateway.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each request to the next candidate in turn. */
final class RoundRobin implements Picker {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Decision pick(List<Endpoint> candidates, PromptBlocks prompt, long now) {
        if (candidates.size() == 1) {
            return new Decision(candidates.getFirst(), Reason.ONLY_CANDIDATE);
        }
        return new Decision(candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size())), Reason.ROUND_ROBIN);
    }
}
