package io.maas.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.engine.EngineStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** {@code /engine/status} and {@code /metrics} over real HTTP, moved by real requests to the simulated engine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.engine.runtime=simulated", "platform.engine.served-model-name=sim\"quoted",
        "platform.engine.simulated.time-to-first-token=30ms", "platform.engine.simulated.inter-token-latency=15ms",
        "platform.engine.simulated.output.tokens=20", "platform.engine.simulated.max-concurrency=1"})
class StatusIT {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void awaitEngine() throws Exception {
        for (int i = 0; i < 200 && get("/health").statusCode() != 200; i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void statusAndMetricsShowRunningAndWaitingRequestsThenTheirLatenciesAndPrefixHits() throws Exception {
        EngineStatus before = json.readValue(get("/engine/status").body(), EngineStatus.class);
        List<ExpositionFormat.Sample> metricsBefore = ExpositionFormat.parse(get("/metrics").body());
        String prompt = "A shared system prompt that is long enough to fill several cache blocks. ".repeat(4);

        CompletableFuture<HttpResponse<String>> first = post(prompt + "first");
        CompletableFuture<HttpResponse<String>> second = post(prompt + "second");
        EngineStatus busy = null;
        for (int i = 0; i < 100; i++) {
            busy = json.readValue(get("/engine/status").body(), EngineStatus.class);
            if (busy.running() == 1 && busy.waiting() == 1) {
                break;
            }
            Thread.sleep(10);
        }
        List<ExpositionFormat.Sample> metricsBusy = ExpositionFormat.parse(get("/metrics").body());
        assertThat(first.join().statusCode()).isEqualTo(200);
        assertThat(second.join().statusCode()).isEqualTo(200);
        EngineStatus after = json.readValue(get("/engine/status").body(), EngineStatus.class);
        HttpResponse<String> metricsAfterResponse = get("/metrics");
        List<ExpositionFormat.Sample> metricsAfter = ExpositionFormat.parse(metricsAfterResponse.body());

        assertThat(before.model()).isEqualTo("sim\"quoted");
        assertThat(before.runtime()).isEqualTo("simulated");
        assertThat(before.state()).isEqualTo("ready");
        assertThat(before.timeToFirstToken().count()).isZero();
        assertThat(before.kvCacheTokens()).as("the prefix cache's 4096 blocks of 16 tokens").isEqualTo(4096 * 16);
        assertThat(metricsBefore).filteredOn(s -> s.name().equals("vllm:cache_config_info")).singleElement()
                .satisfies(info -> assertThat(info.labels()).containsEntry("num_gpu_blocks", "4096").containsEntry("block_size", "16"));

        assertThat(busy.running()).isEqualTo(1);
        assertThat(busy.waiting()).isEqualTo(1);
        assertThat(busy.kvCacheUsage()).isPositive();
        assertThat(ExpositionFormat.value(metricsBusy, "vllm:num_requests_running")).isEqualTo(1);
        assertThat(ExpositionFormat.value(metricsBusy, "vllm:num_requests_waiting")).isEqualTo(1);
        assertThat(ExpositionFormat.value(metricsBusy, "vllm:kv_cache_usage_perc")).isPositive();

        assertThat(after.running()).isZero();
        assertThat(after.waiting()).isZero();
        assertThat(after.prefixCacheQueries()).isGreaterThan(before.prefixCacheQueries());
        assertThat(after.prefixCacheHits()).as("the second prompt shares the first one's blocks").isPositive();
        assertThat(after.timeToFirstToken().count()).isEqualTo(2);
        assertThat(after.timeToFirstToken().p99Seconds()).as("the second waited for the first").isGreaterThan(0.3);
        assertThat(after.timePerOutputToken().count()).isEqualTo(2 * 19);
        assertThat(after.timePerOutputToken().p50Seconds()).isBetween(0.01, 0.05);

        assertThat(metricsAfterResponse.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(metricsAfter).allSatisfy(s -> assertThat(s.labels()).containsEntry("model_name", "sim\\\"quoted"));
        assertThat(metricsAfter).extracting(ExpositionFormat.Sample::name).contains("vllm:num_requests_running",
                "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc", "vllm:prefix_cache_queries_total",
                "vllm:prefix_cache_hits_total", "vllm:time_to_first_token_seconds_bucket",
                "vllm:time_per_output_token_seconds_sum");
        assertThat(ExpositionFormat.value(metricsAfter, "vllm:time_to_first_token_seconds_count")
                - ExpositionFormat.value(metricsBefore, "vllm:time_to_first_token_seconds_count")).isEqualTo(2);
        assertThat(ExpositionFormat.bucket(metricsAfter, "vllm:time_to_first_token_seconds", "0.02"))
                .as("no first token came sooner than the simulated 30 ms").isZero();
        assertThat(ExpositionFormat.value(metricsAfter, "vllm:prefix_cache_hits_total")).isEqualTo(after.prefixCacheHits());
        assertThat(ExpositionFormat.value(metricsAfter, "vllm:generation_tokens_total")).isEqualTo(40);
    }

    private CompletableFuture<HttpResponse<String>> post(String content) {
        String body = "{\"model\":\"sim\\\"quoted\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
