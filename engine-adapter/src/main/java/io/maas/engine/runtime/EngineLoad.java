package io.maas.engine.runtime;

/**
 * The load an engine reports about itself, for {@code /engine/status} and {@code /metrics}. A null
 * member is one the engine cannot tell; the adapter then uses its own count of the requests it sent.
 *
 * @param running            requests generating now
 * @param waiting            requests waiting for a slot
 * @param kvCacheUsage       share of the KV cache in use, 0 to 1
 * @param kvCacheTokens      tokens the KV cache holds in all (what a prefix cache can keep at most)
 * @param prefixCacheQueries prompt tokens looked up in the prefix cache since the engine started
 * @param prefixCacheHits    of those, tokens found in it
 */
public record EngineLoad(Integer running, Integer waiting, Double kvCacheUsage, Long kvCacheTokens, Long prefixCacheQueries,
        Long prefixCacheHits) {

    public static final EngineLoad UNKNOWN = new EngineLoad(null, null, null, null, null, null);

    public EngineLoad {
        if (kvCacheUsage != null && !(kvCacheUsage >= 0 && kvCacheUsage <= 1)) {
            throw new IllegalArgumentException("kvCacheUsage must be 0 to 1, was " + kvCacheUsage);
        }
    }
}
