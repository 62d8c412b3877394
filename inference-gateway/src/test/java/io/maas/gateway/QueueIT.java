package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway's queue in front of a real engine adapter that this gateway lets run one request at a
 * time: fair turns across tenants, keep-alives for a queued stream, 503 {@code overloaded} after the
 * wait or when the queue is full.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QueueIT {

    /** 50 ms a token: {@code max_tokens} 10 is half a second, 200 is ten seconds. */
    private static final EngineProcess engine = EngineProcess.start("queue-engine", "queued",
            "--platform.engine.simulated.time-to-first-token=10ms", "--platform.engine.simulated.inter-token-latency=50ms",
            "--platform.engine.simulated.output.tokens=200");

    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "queued");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.routing.queue.max-in-flight-per-endpoint", () -> "1");
        registry.add("platform.gateway.routing.queue.capacity", () -> "6");
        registry.add("platform.gateway.routing.queue.max-wait", () -> "5s");
        registry.add("platform.gateway.routing.queue.keep-alive-interval", () -> "1s");
        registry.add("platform.gateway.routing.queue.retry-after", () -> "7s");
        engine.awaitReady();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void tenantsTakeTurnsSoThatOnesBurstDoesNotStarveAnother() throws Exception {
        String burst = tenantKey();
        String single = tenantKey();
        var order = new ConcurrentLinkedQueue<String>();
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                answers.add(clients.submit(() -> done(order, "burst", chat(burst, 10, false))));
            }
            awaitMetric("gateway_queue_depth{model=\"queued\"} 4.0");
            answers.add(clients.submit(() -> done(order, "single", chat(single, 10, false))));
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
            }
        }
        assertThat(List.copyOf(order).indexOf("single")).as("finished before the rest of the burst: %s", order).isLessThanOrEqualTo(2);
        String requestId = answers.getLast().get().headers().firstValue("x-request-id").orElseThrow();
        assertThat(Long.parseLong(TestRows.one("SELECT queued_ms FROM usage_record WHERE request_id = ?", requestId).get("queued_ms")))
                .as("time queued is recorded").isPositive();
    }

    @Test
    void aQueuedStreamGetsKeepAlivesAndEveryoneGets503OverloadedAfterTheWaitOrWhenTheQueueIsFull() throws Exception {
        String key = tenantKey();
        CompletableFuture<HttpResponse<String>> busy = CompletableFuture.supplyAsync(() -> chat(key, 200, false));
        awaitMetric("gateway_endpoint_in_flight{endpoint=\"" + engine.uri() + "\"} 1.0");
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        queued.add(CompletableFuture.supplyAsync(() -> chat(key, 10, true)));
        for (int i = 0; i < 5; i++) {
            queued.add(CompletableFuture.supplyAsync(() -> chat(key, 10, false)));
        }
        awaitMetric("gateway_queue_depth{model=\"queued\"} 6.0");

        var full = chat(key, 10, false);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("\"code\":\"overloaded\"", "queue is full");
        assertThat(full.headers().firstValue("Retry-After")).hasValue("7");

        var stream = queued.getFirst().get();
        assertThat(stream.statusCode()).as("a queued stream has its headers at once").isEqualTo(200);
        assertThat(stream.body()).containsSubsequence(": keep-alive", ": keep-alive", ": keep-alive", "\"code\":\"overloaded\"")
                .doesNotContain("[DONE]");
        for (var waited : queued.subList(1, queued.size())) {
            assertThat(waited.get().statusCode()).isEqualTo(503);
            assertThat(waited.get().body()).contains("\"code\":\"overloaded\"", "stayed busy");
            assertThat(waited.get().headers().firstValue("Retry-After")).hasValue("7");
        }
        assertThat(busy.get().statusCode()).isEqualTo(200);
    }

    /** Waits until {@code /metrics} shows {@code sample} (a name, labels and value). */
    private void awaitMetric(String sample) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!calls.send(port, "GET", "/metrics", null, null).body().contains(sample)) {
            assertThat(System.nanoTime()).as("waiting for " + sample).isLessThan(deadline);
            EngineProcess.sleep(20);
        }
    }

    private static HttpResponse<String> done(ConcurrentLinkedQueue<String> order, String who, HttpResponse<String> response) {
        order.add(who);
        return response;
    }

    private HttpResponse<String> chat(String key, int maxTokens, boolean stream) {
        return calls.send(port, "POST", "/v1/chat/completions", key, "{\"model\":\"queued\",\"max_tokens\":" + maxTokens
                + ",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + UUID.randomUUID() + "\"}]}");
    }

    private static String tenantKey() throws SQLException {
        UUID tenant = UUID.randomUUID();
        String key = ApiKeySecret.generate();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", tenant, "queue-it-" + tenant);
        TestRows.key(UUID.randomUUID(), tenant, key);
        return key;
    }
}
