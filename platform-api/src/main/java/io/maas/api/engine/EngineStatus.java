package io.maas.api.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code GET /engine/status}: the load of one engine, for routing. The numbers mean what vLLM's
 * metrics of the same names mean, so that an adapter can pass a vLLM engine's own numbers through.
 *
 * @param model              the served model name; null while the engine is not ready
 * @param runtime            the engine runtime ({@code llamacpp}, {@code simulated}, {@code external})
 * @param state              {@code loading}, {@code ready}, {@code failed}, {@code stopped} or {@code draining}
 * @param running            requests generating now ({@code vllm:num_requests_running})
 * @param waiting            requests waiting for a slot ({@code vllm:num_requests_waiting})
 * @param kvCacheUsage       share of the KV cache in use, 0 to 1 ({@code vllm:kv_cache_usage_perc})
 * @param kvCacheTokens      tokens the KV cache holds in all, the most a prefix cache can keep; 0 when unknown
 *                           ({@code num_gpu_blocks × block_size} of vLLM's {@code vllm:cache_config_info})
 * @param prefixCacheQueries prompt tokens looked up in the prefix cache since start ({@code vllm:prefix_cache_queries})
 * @param prefixCacheHits    of those, tokens found ({@code vllm:prefix_cache_hits})
 * @param timeToFirstToken   from arrival to the first generated token, waiting included
 * @param timePerOutputToken between two generated tokens of one request
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EngineStatus(
        String model,
        String runtime,
        String state,
        int running,
        int waiting,
        double kvCacheUsage,
        long kvCacheTokens,
        long prefixCacheQueries,
        long prefixCacheHits,
        Latency timeToFirstToken,
        Latency timePerOutputToken) {

    /**
     * A latency distribution since start. The quantiles are estimated from histogram buckets by linear
     * interpolation within the bucket, as Prometheus' {@code histogram_quantile} does; 0 when {@code count} is 0.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Latency(long count, double meanSeconds, double p50Seconds, double p99Seconds) {

        public static final Latency NONE = new Latency(0, 0, 0, 0);
    }
}
