package io.maas.engine.external;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.engine.EngineStatus;
import io.maas.api.openai.ChatCompletion;
import io.maas.api.openai.ChatCompletionChunk;
import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import io.maas.engine.EngineAdapterApplication;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The adapter in external mode supervising a real engine process: the adapter's own runnable jar with
 * the simulated engine (a real OpenAI-compatible server), relayed to over real HTTP, killed with
 * SIGKILL and restarted, and drained on shutdown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalEngineIT {

    private static final String MODEL = "sim-reasoner";
    /** Below the simulated engine's answer of 100 tokens: a request without a cap ends at this one. */
    private static final int DEFAULT_CAP = 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Path LOG = Path.of("target", "external-engine-it", "engine.log");

    private static ConfigurableApplicationContext adapter;
    private static String base;

    @BeforeAll
    static void startAdapterInExternalMode() throws Exception {
        Files.deleteIfExists(LOG);
        int enginePort = freePort();
        List<String> argv = List.of(java(), "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", engineJar().toString(),
                "--server.port=" + enginePort, "--spring.main.banner-mode=off",
                "--platform.engine.runtime=simulated", "--platform.engine.served-model-name=" + MODEL,
                "--platform.engine.simulated.time-to-first-token=20ms",
                "--platform.engine.simulated.inter-token-latency=20ms",
                "--platform.engine.simulated.output.tokens=100", "--platform.engine.simulated.max-concurrency=4");
        List<String> properties = new ArrayList<>(List.of("server.port=0", "platform.engine.runtime=external",
                "platform.engine.served-model-name=" + MODEL, "platform.engine.drain-grace=20s",
                "platform.engine.default-max-tokens=" + DEFAULT_CAP,
                "platform.engine.external.port=" + enginePort, "platform.engine.external.start-timeout=90s",
                "platform.engine.external.stop-timeout=5s", "platform.engine.external.restart.initial-backoff=500ms",
                "platform.engine.external.restart.max-backoff=2s", "platform.engine.external.log.file=" + LOG));
        for (int i = 0; i < argv.size(); i++) {
            properties.add("platform.engine.external.command[" + i + "]=" + argv.get(i));
        }
        adapter = new SpringApplicationBuilder(EngineAdapterApplication.class).properties(properties.toArray(String[]::new)).run();
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) adapter).getWebServer().getPort();
        awaitHealth(200, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopAdapter() {
        if (adapter != null) {
            adapter.close();
        }
    }

    @Test
    @Order(1)
    void relaysAnswersWithReasoningAndTheEnginesUsageAndKeepsTheReceipt() throws Exception {
        HttpResponse<String> response = post(body(",\"max_tokens\":10"), "ext-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).contains("ext-1");
        ChatCompletion completion = JSON.readValue(response.body(), ChatCompletion.class);
        assertThat(completion.id()).isEqualTo("chatcmpl-ext-1");
        assertThat(completion.choices().getFirst().message().reasoningContent()).isNotBlank();
        assertThat(completion.choices().getFirst().message().content()).isNotBlank();
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo("length");
        assertThat(completion.usage().completionTokens()).isEqualTo(10);
        assertThat(completion.usage().reasoningTokens()).isEqualTo(5);

        JsonNode receipt = JSON.readTree(get("/engine/requests/ext-1").body());
        assertThat(receipt.path("state").asString()).isEqualTo("completed");
        assertThat(receipt.at("/usage/completion_tokens").asInt()).isEqualTo(10);
        assertThat(receipt.at("/usage/prompt_tokens").asLong()).isEqualTo(completion.usage().promptTokens());
    }

    @Test
    @Order(1)
    void aRequestWithoutACapIsSentTheAdaptersDefaultCap() throws Exception {
        HttpResponse<String> response = post(body(""), "ext-cap");

        assertThat(response.statusCode()).isEqualTo(200);
        ChatCompletion completion = JSON.readValue(response.body(), ChatCompletion.class);
        assertThat(completion.usage().completionTokens()).isEqualTo(DEFAULT_CAP);
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo("length");
    }

    /** Tools, tool_choice and response_format reach the engine process as written; its tool_calls and FIM text come back. */
    @Test
    @Order(1)
    void chatOptionsPassThroughAndFunctionCallsAndFimComeBack() throws Exception {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"]}}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}},\"max_tokens\":20";
        ChatCompletion called = JSON.readValue(post(body(tools), "ext-tools").body(), ChatCompletion.class);
        List<ChatCompletionChunk> streamed = chunks(body(tools + ",\"stream\":true"), "ext-tools-stream");
        ChatCompletion json = JSON.readValue(post(body(",\"response_format\":{\"type\":\"json_object\"},"
                + "\"thinking\":{\"type\":\"disabled\"},\"max_tokens\":40"), "ext-json").body(), ChatCompletion.class);
        HttpResponse<String> fim = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
                        + "\",\"prompt\":\"def f(\",\"suffix\":\"return 1\",\"max_tokens\":5}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(called.choices().getFirst().finishReason()).isEqualTo("tool_calls");
        assertThat(called.choices().getFirst().message().toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.function().name()).isEqualTo("lookup");
            assertThat(JSON.readTree(call.function().arguments()).path("id").isIntegralNumber()).isTrue();
        });
        assertThat(streamed.stream().filter(c -> !c.choices().isEmpty() && c.choices().getFirst().delta().toolCalls() != null)
                .map(c -> c.choices().getFirst().delta().toolCalls().getFirst().function().name()).filter(n -> n != null))
                .containsExactly("lookup");
        assertThat(streamed.getLast().choices().getFirst().finishReason()).isEqualTo("tool_calls");
        assertThat(JSON.readTree(json.choices().getFirst().message().content()).isObject()).isTrue();
        assertThat(json.choices().getFirst().message().reasoningContent()).isNull();
        assertThat(fim.statusCode()).as(fim.body()).isEqualTo(200);
        assertThat(JSON.readTree(fim.body()).path("object").asString()).isEqualTo("text_completion");
        assertThat(JSON.readTree(fim.body()).at("/usage/completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    @Order(2)
    void streamsChunkByChunkAndPassesTheEnginesOwnLoadThrough() throws Exception {
        CompletableFuture<List<ChatCompletionChunk>> stream = CompletableFuture.supplyAsync(() -> {
            try {
                return chunks(body(",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":40"), "ext-2");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        EngineStatus busy = await(() -> JSON.readValue(get("/engine/status").body(), EngineStatus.class),
                status -> status.running() == 1, Duration.ofSeconds(5));
        List<ChatCompletionChunk> chunks = stream.join();

        assertThat(busy.runtime()).isEqualTo("external");
        assertThat(busy.kvCacheUsage()).as("only the engine process knows its KV cache: passed through").isPositive();
        assertThat(busy.kvCacheTokens()).as("its size too, from vllm:cache_config_info").isEqualTo(4096 * 16);
        List<String> kinds = chunks.stream().filter(c -> !c.choices().isEmpty() && c.choices().getFirst().delta() != null)
                .map(c -> c.choices().getFirst().delta().reasoningContent() != null ? "R"
                        : c.choices().getFirst().delta().content() != null && !c.choices().getFirst().delta().content().isEmpty() ? "T" : "")
                .filter(k -> !k.isEmpty()).toList();
        assertThat(String.join("", kinds)).isEqualTo("R".repeat(20) + "T".repeat(20));
        assertThat(chunks.getLast().usage().completionTokens()).isEqualTo(40);
        assertThat(chunks.getLast().usage().reasoningTokens()).isEqualTo(20);
    }

    @Test
    @Order(3)
    void aKilledEngineFailsTheStreamKeepsTheCountGoesDownAndIsRestarted() throws Exception {
        long pid = enginePid();
        HttpResponse<InputStream> response = HTTP.send(request(body(",\"stream\":true,\"max_tokens\":100"), "ext-3"),
                HttpResponse.BodyHandlers.ofInputStream());
        int tokens = 0;
        boolean done = false;
        boolean error = false;
        try (SseReader events = new SseReader(response.body())) {
            SseEvent event;
            while ((event = events.next()) != null) {
                if (event.isDone()) {
                    done = true;
                } else if (event.data() != null && event.data().contains("\"error\"")) {
                    error = true;
                } else if (event.data() != null && event.data().contains("reasoning_content") && ++tokens == 5) {
                    assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
                }
            }
        }
        assertThat(done).as("no [DONE] after the engine died").isFalse();
        assertThat(error).as("an error event tells the client").isTrue();
        JsonNode receipt = JSON.readTree(get("/engine/requests/ext-3").body());
        assertThat(receipt.path("state").asString()).isEqualTo("failed");
        assertThat(receipt.at("/usage/completion_tokens").asInt()).isBetween(5, 99);
        assertThat(receipt.at("/usage/prompt_tokens").asInt()).isPositive();

        JsonNode down = await(() -> JSON.readTree(get("/health").body()),
                health -> "DOWN".equals(health.path("status").asString()), Duration.ofSeconds(5));
        assertThat(down.at("/components/engineProcess/details/restarts").asInt()).isGreaterThanOrEqualTo(1);
        HttpResponse<String> refused = post(body(""), "ext-4");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).at("/error/code").asString()).isEqualTo("engine_unavailable");

        awaitHealth(200, Duration.ofSeconds(90));
        assertThat(enginePid()).isNotEqualTo(pid);
        assertThat(post(body(",\"max_tokens\":3"), "ext-5").statusCode()).isEqualTo(200);
        assertThat(Files.readString(LOG)).contains("[engine pid=" + pid + "]").contains("[engine pid=" + enginePid() + "]");
    }

    @Test
    @Order(4)
    void onShutdownTheStreamInFlightCompletesNewRequestsGet503AndTheEngineIsStopped() throws Exception {
        long pid = enginePid();
        HttpResponse<InputStream> response = HTTP.send(request(body(",\"stream\":true,\"max_tokens\":60"), "ext-6"),
                HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> shutdown;
        List<String> data = new ArrayList<>();
        try (SseReader events = new SseReader(response.body())) {
            data.add(events.next().data()); // the role chunk: the request is in flight
            shutdown = CompletableFuture.runAsync(adapter::close);
            HttpResponse<String> refused = await(() -> post(body(""), "ext-7"), r -> r.statusCode() == 503,
                    Duration.ofSeconds(5));
            assertThat(JSON.readTree(refused.body()).at("/error/code").asString()).isEqualTo("engine_unavailable");
            assertThat(get("/health").statusCode()).isEqualTo(503);
            SseEvent event;
            while ((event = events.next()) != null) {
                data.add(event.data());
            }
        }
        shutdown.get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(data.getLast()).isEqualTo("[DONE]");
        assertThat(data.stream().filter(d -> d.contains("\"content\"") || d.contains("reasoning_content")).count())
                .isGreaterThanOrEqualTo(60);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the engine process ended").isFalse();
        adapter = null;
    }

    private static long enginePid() throws Exception {
        return JSON.readTree(get("/health").body()).at("/components/engineProcess/details/pid").asLong();
    }

    private static String body(String extra) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]" + extra + "}";
    }

    private static List<ChatCompletionChunk> chunks(String body, String id) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(request(body, id), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (SseReader events = new SseReader(response.body())) {
            SseEvent event;
            while ((event = events.next()) != null && !event.isDone()) {
                if (event.data() != null) {
                    chunks.add(JSON.readValue(event.data(), ChatCompletionChunk.class));
                }
            }
        }
        return chunks;
    }

    private static HttpRequest request(String body, String id) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).header("Content-Type", "application/json")
                .header("X-Request-Id", id).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> post(String body, String id) throws Exception {
        return HTTP.send(request(body, id), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHealth(int status, Duration timeout) throws Exception {
        await(() -> get("/health"), r -> r.statusCode() == status, timeout);
    }

    /** Asks until the answer satisfies {@code done}; the last answer is asserted so a timeout shows it. */
    private static <T> T await(Attempt<T> attempt, Predicate<T> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = attempt.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = attempt.get();
        }
        assertThat(last).matches(done, "reached within " + timeout);
        return last;
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T get() throws Exception;
    }

    static Path engineJar() throws Exception {
        String configured = System.getProperty("maas.engine.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
