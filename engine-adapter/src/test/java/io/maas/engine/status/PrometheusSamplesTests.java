package io.maas.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusSamplesTests {

    @Test
    void sumsAMetricOverItsSeriesAndSkipsCommentsAndUnreadableLines() {
        PrometheusSamples samples = PrometheusSamples.parse("""
                # HELP vllm:num_requests_running Number of requests in model execution batches.
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{engine="0",model_name="r1"} 3.0
                vllm:num_requests_running{engine="1",model_name="r1"} 2.0
                vllm:kv_cache_usage_perc{engine="0",model_name="a}b"} 0.5
                vllm:kv_cache_usage_perc{engine="1",model_name="a}b"} 0.25 1700000000000
                vllm:prefix_cache_hits_total 1.2e3
                garbage line without value
                """);

        assertThat(samples.value("vllm:num_requests_running")).contains(5.0);
        assertThat(samples.mean("vllm:kv_cache_usage_perc")).contains(0.375);
        assertThat(samples.value("vllm:prefix_cache_hits_total")).contains(1200.0);
        assertThat(samples.value("vllm:num_requests_waiting")).isEmpty();
        assertThat(samples.labels("vllm:num_requests_running")).extracting(labels -> labels.get("engine")).containsExactly("0", "1");
        assertThat(samples.labels("vllm:kv_cache_usage_perc").getFirst()).containsEntry("model_name", "a}b");
        assertThat(samples.labels("vllm:prefix_cache_hits_total")).isEmpty();
    }

    @Test
    void readsTheNumbersOfAnInfoMetricFromItsLabels() {
        PrometheusSamples samples = PrometheusSamples.parse("""
                # HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
                # TYPE vllm:cache_config_info gauge
                vllm:cache_config_info{block_size="16",cache_dtype="auto",enable_prefix_caching="True",num_gpu_blocks="27198",prefix_caching_hash_algo="sha256",note="say \\"hi\\", twice"} 1.0
                """);

        assertThat(samples.labels("vllm:cache_config_info")).singleElement().satisfies(labels -> assertThat(labels)
                .containsEntry("block_size", "16").containsEntry("num_gpu_blocks", "27198")
                .containsEntry("note", "say \"hi\", twice").containsEntry("prefix_caching_hash_algo", "sha256"));
    }
}
