package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maas.api.keys.ApiKeySecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final String KEY = ApiKeySecret.generate();
    private static final String REVOKED_KEY = ApiKeySecret.generate();
    private static final String SUSPENDED_TENANT_KEY = ApiKeySecret.generate();
    private static final String ONE_AT_A_TIME_KEY = ApiKeySecret.generate();
    private static final UUID TENANT = UUID.randomUUID();

    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "scripted");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.models[1].name", () -> "failover");
        registry.add("platform.gateway.models[1].endpoints[0]", () -> "http://127.0.0.1:1");
        registry.add("platform.gateway.models[1].endpoints[1]", () -> engine.uri().toString());
        registry.add("platform.gateway.models[2].name", () -> "unreachable");
        registry.add("platform.gateway.models[2].endpoints[0]", () -> "http://127.0.0.1:1");
        registry.add("platform.gateway.max-request-size", () -> "64KB");
        registry.add("platform.gateway.engine-response-timeout", () -> "2s");
        registry.add("platform.gateway.engine-idle-timeout", () -> "1s");
        registry.add("platform.gateway.request-deadline", () -> "3s");
        registry.add("platform.gateway.max-body-bytes-in-flight", () -> "200KB");
    }

    @BeforeAll
    static void tenantsAndKeys() throws SQLException {
        UUID suspended = UUID.randomUUID();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", TENANT, "gateway-it-" + TENANT);
        TestRows.execute("INSERT INTO tenant (id, name, status) VALUES (?, ?, 'SUSPENDED')", suspended, "gateway-it-" + suspended);
        key(TENANT, KEY, null);
        key(TENANT, REVOKED_KEY, "now() - interval '1 second'");
        key(suspended, SUSPENDED_TENANT_KEY, null);
        UUID oneAtATime = UUID.randomUUID();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", oneAtATime, "gateway-it-" + oneAtATime);
        key(oneAtATime, ONE_AT_A_TIME_KEY, null);
        TestRows.execute("INSERT INTO limit_policy (tenant_id, max_concurrent_requests) VALUES (?, 1)", oneAtATime);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void aMissingOrWrongKeyIsRefusedInOpenAisShape() {
        var none = send("POST", "/v1/chat/completions", null, chat("scripted", "ok", false));
        var wrong = send("POST", "/v1/chat/completions", ApiKeySecret.generate(), chat("scripted", "ok", false));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"type\":\"invalid_request_error\"", "\"code\":\"invalid_api_key\"", "\"param\":null");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void revokedKeysAndKeysOfSuspendedTenantsStopWorking() {
        assertThat(send("GET", "/v1/models", REVOKED_KEY, null).body()).contains("has been revoked");
        assertThat(send("GET", "/v1/models", SUSPENDED_TENANT_KEY, null).body()).contains("is suspended");
    }

    @Test
    void listsTheRoutedModels() {
        var response = send("GET", "/v1/models", KEY, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"object\":\"list\"", "\"id\":\"scripted\"", "\"id\":\"failover\"");
    }

    @Test
    void anUnknownModelIs404ModelNotFound() {
        var response = send("POST", "/v1/chat/completions", KEY, chat("gpt-17", "ok", false));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"model_not_found\"", "\"param\":\"model\"", "gpt-17");
    }

    @Test
    void badBodiesAre400WithTheParamNamed() {
        assertThat(send("POST", "/v1/chat/completions", KEY, "{\"model\": \"scripted\", \"messages\": [").body())
                .contains("\"type\":\"invalid_request_error\"", "not valid JSON");
        assertThat(send("POST", "/v1/chat/completions", KEY, "{\"model\":\"scripted\",\"messages\":[]}").body())
                .contains("\"param\":\"messages\"");
        assertThat(send("POST", "/v1/chat/completions", KEY,
                "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"many\"}").body())
                .contains("\"param\":\"max_tokens\"");
        assertThat(send("POST", "/v1/chat/completions", KEY,
                "{\"model\":\"scripted\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}").body())
                .contains("\"param\":\"messages[0].role\"");
        var negative = send("POST", "/v1/chat/completions", KEY,
                "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":-1}");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("\"param\":\"temperature\"");
    }

    @Test
    void anOversizeBodyIs413() {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "x".repeat(70_000), false));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"request_too_large\"");
    }

    @Test
    void unknownPathsAndMethodsAnswerInOpenAisShapeWithoutInternals() {
        var path = send("GET", "/v1/engines", KEY, null);
        var method = send("GET", "/v1/chat/completions", KEY, null);

        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(path.body()).startsWith("{\"error\":{").doesNotContain("Exception", "at io.");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.body()).contains("\"code\":\"method_not_allowed\"");
    }

    @Test
    void streamsChunksInOrderAndRecordsTheEnginesUsageBeforeDone() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("scripted", "ok", true))).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        StringBuilder body = new StringBuilder();
        Map<String, String> recordAtDone = null;
        try (var lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                body.append(line).append('\n');
                if (line.equals("data: [DONE]")) {
                    recordAtDone = usageRecord(requestId); // read the moment the client sees the end, before reading on
                }
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(body).containsSubsequence(": keep-alive", "\"reasoning_content\":\"think\"", "Hello", " there", "data: [DONE]");
        assertThat(body.toString()).as("usage was not asked for").doesNotContain("\"usage\"");
        assertThat(engine.requestBodies).anyMatch(b -> b.contains("\"content\":\"ok\"") && b.contains("\"include_usage\":true"));
        assertThat(recordAtDone).as("the usage record existed when the client saw [DONE]").isNotNull()
                .containsEntry("outcome", "COMPLETED").containsEntry("stream", "t")
                .containsEntry("prompt_tokens", "7").containsEntry("prompt_cache_hit_tokens", "4")
                .containsEntry("completion_tokens", "3").containsEntry("tenant_id", TENANT.toString());
    }

    @Test
    void includesUsageWhenTheClientAsks() {
        String body = chat("scripted", "ok", true).replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        var response = send("POST", "/v1/chat/completions", KEY, body);

        assertThat(response.body()).containsSubsequence("\"choices\":[],\"usage\":{\"prompt_tokens\":7", "data: [DONE]");
    }

    @Test
    void answersOnceWithUsageAndRecordsItEndingItsJournalEntry() throws SQLException {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "ok", false));
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"Hello there\"", "\"reasoning_content\":\"hm\"", "\"completion_tokens\":2");
        assertThat(usageRecord(requestId))
                .containsEntry("outcome", "COMPLETED").containsEntry("stream", "f").containsEntry("completion_tokens", "2");
        assertThat(TestRows.one("SELECT count(*) AS n FROM request_journal WHERE request_id = ?", requestId))
                .as("its journal entry ended with its usage record, before the answer").containsEntry("n", "0");
    }

    @Test
    void requestIdsStartWithTheirMillisecondSoUsageKeysComeInOrder() throws Exception {
        long before = System.currentTimeMillis();
        String first = send("POST", "/v1/chat/completions", KEY, chat("scripted", "ok", false)).headers().firstValue("x-request-id")
                .orElseThrow();
        Thread.sleep(2);
        String second = send("POST", "/v1/chat/completions", KEY, chat("scripted", "ok", false)).headers().firstValue("x-request-id")
                .orElseThrow();

        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(Long.parseLong(first.substring(0, 12), 16)).isBetween(before, System.currentTimeMillis());
        assertThat(second).as("a later request's id, and so its usage record's key, sorts after").isGreaterThan(first);
        assertThat(usageRecord(second)).containsEntry("outcome", "COMPLETED");
    }

    @Test
    void anEngineBreakingOffMidStreamIsToldToTheClientAndRecordedWithTheEnginesCount() throws SQLException {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "break", true));

        assertThat(response.body()).contains("Hello", "\"code\":\"engine_error\"").doesNotContain("[DONE]");
        assertThat(usageRecord(response.headers().firstValue("x-request-id").orElseThrow()))
                .containsEntry("outcome", "ENGINE_ERROR").containsEntry("completion_tokens", "2");
    }

    @Test
    void engineFailuresAre502AndClientErrorsFromTheEngineArePassedOn() {
        var failed = send("POST", "/v1/chat/completions", KEY, chat("scripted", "fail", false));
        var tooLong = send("POST", "/v1/chat/completions", KEY, chat("scripted", "too-long", true));

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).contains("\"code\":\"engine_error\"").doesNotContain("CUDA");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("\"code\":\"context_length_exceeded\"", "\"param\":\"messages\"");
    }

    @Test
    void anUnreachableEndpointIsSkippedAndNoEndpointIs503() {
        for (int i = 0; i < 3; i++) {
            assertThat(send("POST", "/v1/chat/completions", KEY, chat("failover", "ok", false)).statusCode()).isEqualTo(200);
        }
        var none = send("POST", "/v1/chat/completions", KEY, chat("unreachable", "ok", false));

        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).contains("\"code\":\"engine_unavailable\"");
        assertThat(none.headers().firstValue("x-request-id")).as("a failed request can be quoted to support too").isPresent();
    }

    @Test
    void theReservedOutputCapIsAlwaysSentToTheEngine() {
        assertThat(send("POST", "/v1/chat/completions", KEY, chat("scripted", "cap-absent", false)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/chat/completions", KEY, chat("scripted", "cap-huge", true)
                .replace("}],", "}],\"max_completion_tokens\":100000,")).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/chat/completions", KEY, chat("scripted", "cap-small", false)
                .replace("}],", "}],\"max_tokens\":50,")).statusCode()).isEqualTo(200);

        assertThat(engineBody("cap-absent")).contains("\"max_tokens\":4096");
        assertThat(engineBody("cap-huge")).contains("\"max_tokens\":4096").doesNotContain("100000");
        assertThat(engineBody("cap-small")).contains("\"max_tokens\":50");
    }

    @Test
    void tokenFieldsThatAreNotIntegersAre400WithTheParamAndNeverReachAnEngine() {
        for (String field : List.of("\"max_tokens\":\"100000\"", "\"max_tokens\":10.5", "\"max_completion_tokens\":\"7\"",
                "\"max_tokens\":true", "\"max_tokens\":99999999999")) {
            var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "not-int", false).replace("}],", "}]," + field + ","));

            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(response.body()).as(field).contains("\"param\":\"" + field.substring(1, field.indexOf('"', 1)) + "\"");
        }
        assertThat(engine.requestBodies).noneMatch(b -> b.contains("not-int"));
    }

    @Test
    void fieldsThatMultiplyWorkOrAreUnknownAre400NamingTheFieldAndNeverReachAnEngine() {
        Map<String, String> refused = Map.of("\"n\":2", "n", "\"best_of\":3", "best_of", "\"min_tokens\":100", "min_tokens",
                "\"ignore_eos\":true", "ignore_eos", "\"logprobs\":1", "logprobs", "\"top_logprobs\":5", "top_logprobs",
                "\"use_beam_search\":true", "use_beam_search", "\"stream_options\":{\"continuous_usage_stats\":true}",
                "stream_options.continuous_usage_stats");
        refused.forEach((field, param) -> {
            var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "multiply", true).replace("}],", "}]," + field + ","));

            assertThat(response.statusCode()).as(field).isEqualTo(400);
            assertThat(response.body()).as(field).contains("\"param\":\"" + param + "\"");
        });
        assertThat(engine.requestBodies).noneMatch(b -> b.contains("multiply"));
    }

    @Test
    void fimGoesToTheEnginesCompletionsWithTheReservedCapAndIsMeteredLikeChat() throws SQLException {
        var whole = send("POST", "/v1/completions", KEY, "{\"model\":\"scripted\",\"prompt\":\"def fim_whole(\",\"suffix\":\"return x\"}");
        var streamed = send("POST", "/v1/completions", KEY, "{\"model\":\"scripted\",\"prompt\":\"def fim_stream(\",\"suffix\":\"\","
                + "\"stream\":true,\"max_tokens\":64}");

        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertThat(whole.body()).contains("\"object\":\"text_completion\"", "\"text\":\"x = 1\"");
        assertThat(streamed.body()).contains("\"text\":\"x = \"", "\"text\":\"1\"", "data: [DONE]").doesNotContain("\"usage\"");
        String sentWhole = engine.requestBodies.stream().filter(b -> b.contains("fim_whole")).findFirst().orElseThrow();
        String sentStream = engine.requestBodies.stream().filter(b -> b.contains("fim_stream")).findFirst().orElseThrow();
        assertThat(sentWhole).contains("\"suffix\":\"return x\"", "\"max_tokens\":4096");
        assertThat(sentStream).contains("\"max_tokens\":64", "\"include_usage\":true");
        for (var response : List.of(whole, streamed)) {
            var record = usageRecord(response.headers().firstValue("x-request-id").orElseThrow());
            assertThat(record).containsEntry("outcome", "COMPLETED").containsEntry("prompt_tokens", "7").containsEntry("completion_tokens", "2");
        }
    }

    @Test
    void theStreamOptionsTheOpenAiSdksSendAreAccepted() {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "sdk options", true)
                .replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false}"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("data: [DONE]");
    }

    @Test
    void aRefusedStreamIsAJsonErrorEvenToAClientThatAcceptsOnlyEventStreams() throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(chat("scripted", "refused", true).replace("}],", "}],\"n\":2,"))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"param\":\"n\"");
    }

    @Test
    void onlyTheAllowListReachesTheEngine() {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "allowed", false)
                .replace("}],", "}],\"n\":1,\"logprobs\":false,\"temperature\":0.5,\"seed\":3,\"user\":\"u1\","));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(engineBody("allowed")).contains("\"temperature\":0.5", "\"seed\":3", "\"max_tokens\":4096", "\"logprobs\":false")
                .doesNotContain("\"n\":", "\"user\":");
    }

    @Test
    void aStreamThatGoesSilentIsCutAtTheIdleTimeoutAndBilledFromTheEnginesReceipt() throws SQLException {
        long started = System.nanoTime();
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "stall", true));
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("cut at the idle timeout (1 s), before the deadline (3 s)")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(response.body()).contains("Hel", "\"code\":\"engine_error\"").doesNotContain("[DONE]");
        assertThat(usageRecord(requestId)).containsEntry("outcome", "ENGINE_ERROR").containsEntry("completion_tokens", "2");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.cutOff.contains(requestId));
    }

    @Test
    void aStreamOfKeepAlivesForeverEndsAtTheRequestDeadlineAndIsBilled() throws SQLException {
        long started = System.nanoTime();
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "keep-alive-forever", true));
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(response.body()).contains("\"code\":\"engine_error\"").doesNotContain("[DONE]");
        assertThat(usageRecord(requestId)).containsEntry("outcome", "ENGINE_ERROR").containsEntry("completion_tokens", "2");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.cutOff.contains(requestId));
    }

    @Test
    void anEngineThatTimesOutAfterItGotTheRequestIsBilledFromItsReceipt() throws SQLException {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "late", false));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(usageRecord(response.headers().firstValue("x-request-id").orElseThrow()))
                .containsEntry("outcome", "ENGINE_ERROR").containsEntry("completion_tokens", "2");
    }

    @Test
    void anAnswerWithoutUsageIsServedAndBilledFromTheEnginesReceipt() throws SQLException {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "no-usage", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Hello there");
        assertThat(usageRecord(response.headers().firstValue("x-request-id").orElseThrow()))
                .containsEntry("outcome", "COMPLETED").containsEntry("prompt_tokens", "7").containsEntry("completion_tokens", "2");
    }

    @Test
    void moreCachedThanPromptTokensIsServedAndBilledWithTheCacheCappedAtThePrompt() throws SQLException {
        var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", "cached-over-prompt", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(usageRecord(response.headers().firstValue("x-request-id").orElseThrow()))
                .containsEntry("prompt_tokens", "7").containsEntry("prompt_cache_hit_tokens", "7")
                .containsEntry("prompt_cache_miss_tokens", "0").containsEntry("completion_tokens", "2");
    }

    @Test
    void theRequestIsCountedAtItsAdmissionNotWhenItsUploadBegan() throws Exception {
        byte[] body = chat("scripted", "uploaded-slowly", false).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.InputStream slowly = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(body, 0, 10),
                new java.io.InputStream() {
                    private int next = 10;

                    @Override
                    public int read() throws java.io.IOException {
                        if (next == 10) {
                            try {
                                Thread.sleep(1500);
                            } catch (InterruptedException e) {
                                throw new java.io.InterruptedIOException();
                            }
                        }
                        return next < body.length ? body[next++] : -1;
                    }
                });
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> slowly)).build();
        java.time.Instant uploadBegan = java.time.Instant.now();

        var response = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        long startedAt = Long.parseLong(TestRows.one("SELECT (extract(epoch FROM started_at) * 1000)::bigint AS ms FROM usage_record"
                + " WHERE request_id = ?", response.headers().firstValue("x-request-id").orElseThrow()).get("ms"));
        assertThat(startedAt).as("admitted once the body was read").isGreaterThan(uploadBegan.plusMillis(1400).toEpochMilli());
    }

    @Test
    void pathParametersNeverSkipTheKeyCheckAndNeverFail() {
        for (String path : List.of("/v1;x/models", "/v1/models;x", "/v1;/chat/completions", "//v1/models", "/user;x/balance", "/health/../v1/models")) {
            var anonymous = send("GET", path, null, null);
            var withKey = send("GET", path, KEY, null);

            assertThat(anonymous.statusCode()).as(path).isIn(400, 401, 404);
            assertThat(anonymous.body()).as(path).startsWith("{\"error\":{").doesNotContain("\"object\":\"list\"");
            assertThat(withKey.statusCode()).as(path).isLessThan(500);
        }
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyAtItsConcurrencyLimitIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (var holding = new java.net.Socket("127.0.0.1", port); var second = new java.net.Socket("127.0.0.1", port)) {
            startUpload(holding, ONE_AT_A_TIME_KEY, 1_000); // its body never completes: it holds the key's one slot
            Thread.sleep(300);
            startUpload(second, ONE_AT_A_TIME_KEY, 1_000);

            assertThat(statusLine(second)).as("answered without waiting for the body").contains(" 429 ");
        }
    }

    @Test
    void bodiesInFlightAreBoundedAcrossTheProcess() throws Exception {
        List<java.net.Socket> uploads = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // 3 × 60 KB of the 200 KB budget
                uploads.add(new java.net.Socket("127.0.0.1", port));
                startUpload(uploads.getLast(), KEY, 60_000);
            }
            Thread.sleep(300);
            try (var onTop = new java.net.Socket("127.0.0.1", port)) {
                startUpload(onTop, KEY, 60_000);

                assertThat(statusLine(onTop)).contains(" 503 ");
            }
        } finally {
            for (var upload : uploads) {
                upload.close();
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> send("POST", "/v1/chat/completions", KEY, chat("scripted", "ok", false)).statusCode() == 200);
    }

    /** Sends a chat request's headers declaring {@code length} bytes of body, and only its first bytes. */
    private void startUpload(java.net.Socket socket, String key, int length) throws java.io.IOException {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{\"model\":").getBytes());
        socket.getOutputStream().flush();
    }

    private static String statusLine(java.net.Socket socket) throws java.io.IOException {
        return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
    }

    private static String engineBody(String content) {
        return engine.requestBodies.stream().filter(b -> b.contains("\"content\":\"" + content + "\"")).findFirst().orElseThrow();
    }

    private HttpResponse<String> send(String method, String path, String key, String body) {
        return calls.send(port, method, path, key, body);
    }

    private static Map<String, String> usageRecord(String requestId) throws SQLException {
        return TestRows.one("SELECT * FROM usage_record WHERE request_id = ?", requestId);
    }

    private static void key(UUID tenant, String key, String revokedAt) throws SQLException {
        TestRows.execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash, revoked_at) VALUES (?, ?, 'k', ?, ?, "
                + (revokedAt == null ? "NULL" : revokedAt) + ")", UUID.randomUUID(), tenant, ApiKeySecret.prefix(key), ApiKeySecret.hash(key));
    }

    private static String chat(String model, String content, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],\"stream\":" + stream + "}";
    }
}
