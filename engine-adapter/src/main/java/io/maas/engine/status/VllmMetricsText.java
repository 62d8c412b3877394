package io.maas.engine.status;

import io.maas.api.engine.EngineStatus;
import java.util.Objects;

/**
 * The engine's metrics in Prometheus' text exposition format 0.0.4, under the names vLLM uses
 * ({@code vllm:num_requests_running}, …, with a {@code model_name} label) so that dashboards and
 * autoscalers made for vLLM read them unchanged. Written by hand because Micrometer cannot emit a
 * colon in a name. Counters are exposed as vLLM's Python client does: family {@code vllm:x}, sample {@code vllm:x_total}.
 */
final class VllmMetricsText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The block size {@code vllm:cache_config_info} states the KV capacity in (vLLM's default). */
    private static final int BLOCK_SIZE = 16;

    private VllmMetricsText() {
    }

    static String render(EngineStatusReport.Snapshot snapshot) {
        EngineStatus status = snapshot.status();
        String labels = "model_name=\"" + escape(Objects.requireNonNullElse(status.model(), "")) + "\"";
        StringBuilder out = new StringBuilder(4096);
        gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", labels, status.running());
        gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, status.waiting());
        gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, status.kvCacheUsage());
        if (status.kvCacheTokens() > 0) { // vLLM's info metric: the numbers are labels, the value is 1
            gauge(out, "vllm:cache_config_info", "Information of the LLMEngine CacheConfig.", "block_size=\"" + BLOCK_SIZE
                    + "\",num_gpu_blocks=\"" + status.kvCacheTokens() / BLOCK_SIZE + "\"," + labels, 1);
        }
        counter(out, "vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.",
                labels, status.prefixCacheQueries());
        counter(out, "vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.",
                labels, status.prefixCacheHits());
        counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", labels, snapshot.promptTokens());
        counter(out, "vllm:generation_tokens", "Number of generation tokens processed.", labels, snapshot.generationTokens());
        histogram(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels,
                snapshot.timeToFirstToken());
        histogram(out, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", labels,
                snapshot.timePerOutputToken());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
        header(out, name, help, "gauge");
        sample(out, name, labels, number(value));
    }

    private static void counter(StringBuilder out, String name, String help, String labels, long value) {
        header(out, name, help, "counter");
        sample(out, name + "_total", labels, Long.toString(value));
    }

    private static void histogram(StringBuilder out, String name, String help, String labels,
            LatencyHistogram.Snapshot histogram) {
        header(out, name, help, "histogram");
        double[] bounds = histogram.bounds();
        long[] cumulative = histogram.cumulative();
        for (int i = 0; i < bounds.length; i++) {
            sample(out, name + "_bucket", "le=\"" + number(bounds[i]) + "\"," + labels, Long.toString(cumulative[i]));
        }
        sample(out, name + "_bucket", "le=\"+Inf\"," + labels, Long.toString(histogram.count()));
        sample(out, name + "_count", labels, Long.toString(histogram.count()));
        sample(out, name + "_sum", labels, number(histogram.sum()));
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, String value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String number(double value) {
        return Double.toString(value);
    }

    /** Label values escape backslash, double quote and line feed. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
