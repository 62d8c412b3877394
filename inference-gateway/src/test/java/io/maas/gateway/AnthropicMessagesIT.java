package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /anthropic/v1/*} over HTTP against a {@link ScriptedEngine}, for what a real engine cannot be made to do on
 * demand (a tool call from a model without a grammar, an answer broken off mid-stream, a 500) and for the exact event
 * sequence; the Anthropic SDK against the real engine is {@code AnthropicSdkIT} in system-tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnthropicMessagesIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final String KEY = ApiKeySecret.generate();
    private static final String ONE_AT_A_TIME_KEY = ApiKeySecret.generate();
    private static final UUID TENANT = UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "scripted");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.models[1].name", () -> "other");
        registry.add("platform.gateway.models[1].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.anthropic.models[0].pattern", () -> "claude-*haiku*");
        registry.add("platform.gateway.anthropic.models[0].model", () -> "other");
        registry.add("platform.gateway.anthropic.models[1].pattern", () -> "claude-*");
        registry.add("platform.gateway.anthropic.models[1].model", () -> "scripted");
        registry.add("platform.gateway.anthropic.models[2].pattern", () -> "claude-opus-4-1");
        registry.add("platform.gateway.anthropic.models[2].model", () -> "scripted");
        registry.add("platform.gateway.max-request-size", () -> "64KB");
        registry.add("platform.gateway.engine-idle-timeout", () -> "1s");
        registry.add("platform.gateway.request-deadline", () -> "3s");
    }

    @BeforeAll
    static void tenantAndKey() throws SQLException {
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", TENANT, "anthropic-it-" + TENANT);
        TestRows.key(UUID.randomUUID(), TENANT, KEY);
        UUID oneAtATime = UUID.randomUUID();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", oneAtATime, "anthropic-it-" + oneAtATime);
        TestRows.key(UUID.randomUUID(), oneAtATime, ONE_AT_A_TIME_KEY);
        TestRows.execute("INSERT INTO limit_policy (tenant_id, max_concurrent_requests) VALUES (?, 1)", oneAtATime);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    /** A call as Anthropic's clients make it (its version header), with {@code headers}. */
    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        var all = new HashMap<>(headers);
        all.put("anthropic-version", "2023-06-01");
        return calls.sendWith(port, method, path, all, body);
    }

    private HttpResponse<String> messages(String body) {
        return send("POST", "/anthropic/v1/messages", Map.of("x-api-key", KEY), body);
    }

    private static String message(String model, String content, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    /** The stream's events as (name, data) pairs, checking that each data's type is its event's name. */
    private static List<Map.Entry<String, JsonNode>> events(String body) {
        List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String[] lines = block.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
            assertThat(data.get("type").asString()).isEqualTo(lines[0].substring("event: ".length()));
            events.add(Map.entry(data.get("type").asString(), data));
        }
        return events;
    }

    @Test
    void aClaudeNameIsAnsweredByTheMappedModelWithThinkingAndTextBlocksAndBilledLikeChat() throws SQLException {
        var response = messages(message("claude-sonnet-4-5", "ok", false));

        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        assertThat(response.headers().firstValue("x-request-id")).hasValue(requestId);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"id":"msg_%s","type":"message","role":"assistant","model":"scripted",
                 "content":[{"type":"thinking","thinking":"hm","signature":""},{"type":"text","text":"Hello there"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":2}}
                """.formatted(requestId)));
        assertThat(TestRows.one("SELECT * FROM usage_record WHERE request_id = ?", requestId))
                .containsEntry("model", "scripted").containsEntry("outcome", "COMPLETED").containsEntry("stream", "f")
                .containsEntry("prompt_tokens", "7").containsEntry("prompt_cache_hit_tokens", "4")
                .containsEntry("completion_tokens", "2").containsEntry("tenant_id", TENANT.toString());
        assertThat(engine.requestBodies).anyMatch(body -> body.contains("\"model\":\"scripted\"") && body.contains("\"max_tokens\":64"));
    }

    @Test
    void aStreamIsAnthropicsEventSequenceWithPingsAndTheUsageInMessageDelta() throws SQLException {
        var response = messages(message("claude-sonnet-4-5", "ok", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        var events = events(response.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(events.get(3).getValue().get("delta")).isEqualTo(JSON.readTree("{\"type\":\"thinking_delta\",\"thinking\":\"think\"}"));
        assertThat(events.get(7).getValue().get("delta")).isEqualTo(JSON.readTree("{\"type\":\"text_delta\",\"text\":\" there\"}"));
        assertThat(events.get(9).getValue()).isEqualTo(JSON.readTree("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"input_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":3}}"""));
        assertThat(TestRows.one("SELECT * FROM usage_record WHERE request_id = ?", response.headers().firstValue("request-id").orElseThrow()))
                .containsEntry("outcome", "COMPLETED").containsEntry("stream", "t").containsEntry("completion_tokens", "3");
    }

    @Test
    void toolCallsAreToolUseBlocksWholeAndStreamed() {
        String weather = ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}}]";
        String tools = weather + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"}}";
        var whole = messages(message("claude-sonnet-4-5", "tool-call", false).replaceFirst("}$", tools));
        var streamed = messages(message("claude-sonnet-4-5", "tool-call", true).replaceFirst("}$", tools));

        JsonNode answer = JSON.readTree(whole.body());
        assertThat(answer.get("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(answer.get("content").get(0).get("type").asString()).isEqualTo("tool_use");
        assertThat(answer.get("content").get(0).get("name").asString()).isEqualTo("get_weather");
        assertThat(answer.get("content").get(0).get("input")).isEqualTo(JSON.readTree("{\"location\":\"Paris\"}"));
        assertThat(engine.requestBodies).anyMatch(body -> body.contains("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
        var events = events(streamed.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("message_start", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(1).getValue().get("content_block").get("type").asString()).isEqualTo("tool_use");
        StringBuilder json = new StringBuilder();
        events.stream().filter(e -> e.getKey().equals("content_block_delta"))
                .forEach(e -> json.append(e.getValue().get("delta").get("partial_json").asString()));
        assertThat(JSON.readTree(json.toString())).isEqualTo(JSON.readTree("{\"location\":\"Paris\"}"));
        assertThat(events.get(5).getValue().get("delta").get("stop_reason").asString()).isEqualTo("tool_use");

        String callId = answer.get("content").get(0).get("id").asString();
        var next = messages("""
                {"model":"claude-sonnet-4-5","max_tokens":64%s,"messages":[
                 {"role":"user","content":"weather?"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"%s","name":"get_weather","input":{"location":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"15 degrees"},{"type":"text","text":"ok"}]}]}
                """.formatted(weather, callId, callId));
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(engine.requestBodies).anyMatch(body -> body.contains("{\"role\":\"tool\",\"tool_call_id\":\"" + callId + "\",\"content\":\"15 degrees\"}")
                && body.contains("\"tool_calls\":[{\"id\":\"" + callId + "\""));
    }

    @Test
    void theKeysLimitsHoldAcrossBothApis() throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/anthropic/v1/messages"))
                .header("x-api-key", ONE_AT_A_TIME_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message("claude-x", "slow", true))).build();
        var holding = http.send(request, HttpResponse.BodyHandlers.ofLines());
        try (var lines = holding.body()) {
            assertThat(lines.iterator().next()).isEqualTo("event: message_start"); // it runs, holding the key's one slot

            var second = send("POST", "/anthropic/v1/messages", Map.of("x-api-key", ONE_AT_A_TIME_KEY), message("claude-x", "ok", false));
            var chat = send("POST", "/v1/chat/completions", Map.of("Authorization", "Bearer " + ONE_AT_A_TIME_KEY),
                    "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}]}");

            assertError(second, 429, "rate_limit_error");
            assertThat(second.headers().firstValue("retry-after")).isPresent();
            assertThat(chat.statusCode()).isEqualTo(429);
            assertThat(chat.body()).contains("\"code\":\"rate_limit_exceeded\"");
        }
    }

    @Test
    void anAnswerBrokenOffMidStreamEndsWithAnErrorEventAndIsBilled() throws SQLException {
        var response = messages(message("claude-sonnet-4-5", "break", true));

        var events = events(response.body());
        assertThat(events.getLast().getKey()).isEqualTo("error");
        assertThat(events.getLast().getValue().get("error").get("type").asString()).isEqualTo("api_error");
        assertThat(events).extracting(Map.Entry::getKey).doesNotContain("message_stop");
        assertThat(TestRows.one("SELECT * FROM usage_record WHERE request_id = ?", response.headers().firstValue("request-id").orElseThrow()))
                .containsEntry("outcome", "ENGINE_ERROR");
    }

    @Test
    void modelNamesMapByTheFirstMatchingAliasAndTheListShowsTheLiteralOnes() {
        assertThat(JSON.readTree(messages(message("claude-3-5-haiku-latest", "ok", false)).body()).get("model").asString()).isEqualTo("other");
        assertThat(JSON.readTree(messages(message("other", "ok", false)).body()).get("model").asString()).isEqualTo("other");
        var models = send("GET", "/anthropic/v1/models", Map.of("Authorization", "Bearer " + KEY), null);

        assertThat(models.statusCode()).isEqualTo(200);
        JsonNode page = JSON.readTree(models.body());
        // public deployments other tests of this database made are listed too: in between, never after the aliases
        List<String> ids = page.get("data").valueStream().map(model -> model.get("id").asString()).toList();
        assertThat(ids).startsWith("scripted", "other").endsWith("claude-opus-4-1").noneMatch(id -> id.contains("*"));
        assertThat(page.get("data").get(0).get("type").asString()).isEqualTo("model");
        assertThat(page.get("has_more").booleanValue()).isFalse();
        assertThat(page.get("first_id").asString()).isEqualTo("scripted");
        assertThat(send("GET", "/anthropic/v1/models/claude-opus-4-1", Map.of("x-api-key", KEY), null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyErrorUnderAnthropicIsInAnthropicsShapeWithItsStatus() {
        assertError(send("POST", "/anthropic/v1/messages", Map.of(), message("claude-x", "ok", false)), 401, "authentication_error");
        assertError(send("POST", "/anthropic/v1/messages", Map.of("x-api-key", ApiKeySecret.generate()), message("claude-x", "ok", false)),
                401, "authentication_error");
        assertError(messages(message("gpt-17", "ok", false)), 404, "not_found_error");
        assertError(messages("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request_error");
        assertError(messages("{\"model\":\"claude-x\",\"max_tokens\":5,\"temperature\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400, "invalid_request_error");
        assertError(messages("{\"model\": \"claude-x\", "), 400, "invalid_request_error");
        assertError(messages(message("claude-x", "x".repeat(70_000), false)), 413, "request_too_large");
        assertError(messages(message("claude-x", "fail", false)), 502, "api_error");
        assertError(messages(message("claude-x", "too-long", false)), 400, "invalid_request_error");
        assertError(send("GET", "/anthropic/v1/nothing", Map.of("x-api-key", KEY), null), 404, "not_found_error");
        assertError(send("GET", "/anthropic/v1/messages", Map.of("x-api-key", KEY), null), 405, "invalid_request_error");
        assertThat(messages("{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body())
                .contains("\"message\":\"max_tokens: Field required\"");
        assertThat(send("GET", "/v1/nothing", Map.of("x-api-key", KEY), null).body())
                .as("x-api-key is the Anthropic API's; the OpenAI API stays bearer-only, in its own shape").contains("\"code\":\"invalid_api_key\"");
    }

    private static void assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asString()).isEqualTo("error");
        assertThat(body.get("error").get("type").asString()).isEqualTo(type);
        assertThat(body.get("error").get("message").asString()).isNotBlank().doesNotContain("Exception");
    }
}
