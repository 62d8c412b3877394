package io.maas.gateway.routing;

import java.util.List;
import java.util.Locale;

/**
 * Picks one endpoint for a request among a model's available candidates. One picker per model;
 * implementations are thread-safe and never block: they read the endpoints' counters as they stand.
 */
sealed interface Picker permits RoundRobin, LeastLoad, PrefixAffinity {

    /**
     * @param candidates not empty, every one available
     * @param now        {@link System#nanoTime()} of the decision, to tell fresh engine loads from stale
     */
    Decision pick(List<Endpoint> candidates, PromptBlocks prompt, long now);

    /** Why an endpoint was picked: logged at debug and counted in {@code gateway_routing_decisions_total}. */
    enum Reason {
        /** the only candidate */
        ONLY_CANDIDATE,
        /** its turn */
        ROUND_ROBIN,
        /** the least loaded */
        LEAST_LOAD,
        /** prefix-affinity: it most likely holds part of the prompt, weighed against its load */
        PREFIX_HIT,
        /** prefix-affinity: no candidate holds any of the prompt; the least loaded */
        PREFIX_MISS,
        /** prefix-affinity: load too uneven (bounded load); the least loaded instead of the cached one */
        LOAD_BALANCE;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    record Decision(Endpoint endpoint, Reason reason) {
    }

    static Picker of(RoutingProperties.Strategy strategy, RoutingProperties properties) {
        long staleAfter = properties.statusStaleAfter().toNanos();
        return switch (strategy) {
            case ROUND_ROBIN -> new RoundRobin();
            case LEAST_LOAD -> new LeastLoad(staleAfter);
            case PREFIX_AFFINITY -> new PrefixAffinity(properties.prefix(), new LeastLoad(staleAfter), staleAfter);
        };
    }
}
