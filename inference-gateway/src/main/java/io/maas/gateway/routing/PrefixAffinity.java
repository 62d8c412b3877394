package io.maas.gateway.routing;

import java.util.List;

/**
 * Cache-aware picking: each candidate is scored by the share of the prompt it most likely holds
 * ({@link PrefixIndex}), its load relative to the busiest candidate and its KV-cache use, with the
 * weights of {@link RoutingProperties.Prefix} (where the defaults are explained). Bounded load
 * comes first: when the candidates' loads are too uneven the least loaded is picked whatever it
 * holds. The picked endpoint is then remembered as holding the whole prompt.
 */
final class PrefixAffinity implements Picker {

    private final RoutingProperties.Prefix settings;
    private final LeastLoad leastLoad;
    private final long staleAfterNanos;

    PrefixAffinity(RoutingProperties.Prefix settings, LeastLoad leastLoad, long staleAfterNanos) {
        this.settings = settings;
        this.leastLoad = leastLoad;
        this.staleAfterNanos = staleAfterNanos;
    }

    @Override
    public Decision pick(List<Endpoint> candidates, PromptBlocks prompt, long now) {
        Decision decision = decide(candidates, prompt, now);
        decision.endpoint().prefixes().sent(prompt);
        return decision;
    }

    private Decision decide(List<Endpoint> candidates, PromptBlocks prompt, long now) {
        if (candidates.size() == 1) {
            return new Decision(candidates.getFirst(), Reason.ONLY_CANDIDATE);
        }
        int size = candidates.size();
        int[] loads = new int[size];
        int most = 0;
        int least = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            loads[i] = candidates.get(i).load(now, staleAfterNanos);
            most = Math.max(most, loads[i]);
            least = Math.min(least, loads[i]);
        }
        if (most - least > settings.balanceAbsThreshold() && most > settings.balanceRelThreshold() * least) {
            return new Decision(leastLoad.leastLoaded(candidates, now), Reason.LOAD_BALANCE);
        }
        int blocks = Math.max(1, prompt.size());
        Endpoint best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        boolean anyHit = false;
        for (int i = 0; i < size; i++) {
            Endpoint endpoint = candidates.get(i);
            int matched = prompt.size() == 0 ? 0 : endpoint.prefixes().matched(prompt);
            anyHit |= matched > 0;
            double score = settings.prefixWeight() * matched / blocks
                    - settings.loadWeight() * loads[i] / Math.max(1, most)
                    - settings.kvWeight() * endpoint.kvCacheUsage(now, staleAfterNanos);
            if (score > bestScore) {
                best = endpoint;
                bestScore = score;
            }
        }
        return anyHit ? new Decision(best, Reason.PREFIX_HIT) : new Decision(leastLoad.leastLoaded(candidates, now), Reason.PREFIX_MISS);
    }
}
