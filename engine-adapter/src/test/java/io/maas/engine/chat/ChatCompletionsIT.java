package io.maas.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.engine.EngineStatus;
import io.maas.api.openai.ChatCompletion;
import io.maas.api.openai.ChatCompletionChunk;
import io.maas.api.openai.ErrorResponse;
import io.maas.api.openai.ModelList;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The engine adapter over real HTTP with real llama.cpp and the generated demo model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "platform.engine.cache-dir=target/demo-model")
class ChatCompletionsIT {

    private static final String HELLO = "[{\"role\":\"user\",\"content\":\"hello world\"}]";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void awaitModel() throws Exception {
        for (int i = 0; i < 200 && get("/health").statusCode() != 200; i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void healthIsUpWithTheModelAndModelsListsIt() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).at("/components/model/details/model").asString()).isEqualTo("demo-moe");

        ModelList models = json.readValue(get("/v1/models").body(), ModelList.class);
        assertThat(models.data()).extracting(ModelList.Model::id).containsExactly("demo-moe");
    }

    @Test
    void nonStreamedAnswerHasOpenAisShapeTheRequestIdAndTheLimitedLength() throws Exception {
        HttpResponse<String> response = post(body(HELLO, ",\"max_tokens\":8,\"seed\":5"), "req-non-stream-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).contains("req-non-stream-1");
        ChatCompletion completion = json.readValue(response.body(), ChatCompletion.class);
        assertThat(completion.id()).isEqualTo("chatcmpl-req-non-stream-1");
        assertThat(completion.object()).isEqualTo("chat.completion");
        assertThat(completion.model()).isEqualTo("demo-moe");
        assertThat(completion.choices()).singleElement().satisfies(choice -> {
            assertThat(choice.message().role()).isEqualTo("assistant");
            assertThat(choice.message().content()).isNotEmpty();
            assertThat(choice.finishReason()).isEqualTo("length");
        });
        assertThat(completion.usage().completionTokens()).isEqualTo(8);
        assertThat(completion.usage().promptTokens()).isPositive()
                .isEqualTo(completion.usage().cacheHitTokens() + completion.usage().cacheMissTokens());
        assertThat(completion.usage().totalTokens()).isEqualTo(completion.usage().promptTokens() + 8);
    }

    @Test
    void streamSendsTheRoleFirstOneChunkPerTokenThenTheFinishReasonAndTheUsage() throws Exception {
        List<ChatCompletionChunk> chunks = stream(body(HELLO,
                ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_completion_tokens\":12,\"seed\":5"),
                "req-stream-1");

        assertThat(chunks.getFirst().id()).isEqualTo("chatcmpl-req-stream-1");
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isEqualTo("assistant");
        List<ChatCompletionChunk> content = chunks.stream()
                .filter(c -> !c.choices().isEmpty() && c.choices().getFirst().delta().content() != null
                        && !c.choices().getFirst().delta().content().isEmpty())
                .toList();
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        ChatCompletionChunk usage = chunks.getLast();
        assertThat(finish.choices().getFirst().finishReason()).isEqualTo("length");
        assertThat(usage.choices()).isEmpty();
        assertThat(usage.usage().completionTokens()).isEqualTo(12).isEqualTo(content.size());
        assertThat(chunks).allSatisfy(c -> assertThat(c.object()).isEqualTo("chat.completion.chunk"));
    }

    @Test
    void theSameSeedGivesTheSameTextStreamedOrNot() throws Exception {
        String first = content(post(body(HELLO, ",\"max_tokens\":20,\"seed\":42,\"temperature\":1.0"), null));
        String second = content(post(body(HELLO, ",\"max_tokens\":20,\"seed\":42,\"temperature\":1.0"), null));
        String streamed = text(stream(body(HELLO, ",\"stream\":true,\"max_tokens\":20,\"seed\":42"), null));
        String other = content(post(body(HELLO, ",\"max_tokens\":20,\"seed\":43"), null));

        assertThat(second).isEqualTo(first);
        assertThat(streamed).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aStopStringEndsTheAnswerBeforeIt() throws Exception {
        String full = content(post(body(HELLO, ",\"max_tokens\":40,\"seed\":21"), null));
        String stop = full.substring(10, 13);
        int expectedEnd = full.indexOf(stop);

        HttpResponse<String> response = post(body(HELLO,
                ",\"max_tokens\":40,\"seed\":21,\"stop\":" + json.writeValueAsString(stop)), null);
        ChatCompletion stopped = json.readValue(response.body(), ChatCompletion.class);

        assertThat(stopped.choices().getFirst().message().content()).isEqualTo(full.substring(0, expectedEnd));
        assertThat(stopped.choices().getFirst().finishReason()).isEqualTo("stop");
        assertThat(stopped.usage().completionTokens()).isLessThan(40);
    }

    @Test
    void repeatingALongPromptIsServedFromThePromptCache() throws Exception {
        String messages = "[{\"role\":\"system\",\"content\":\"" + "the model of the world is ".repeat(40)
                + "\"},{\"role\":\"user\",\"content\":\"hello\"}]";

        Usage first = json.readValue(post(body(messages, ",\"max_tokens\":4"), null).body(), ChatCompletion.class).usage();
        Usage second = json.readValue(post(body(messages, ",\"max_tokens\":4"), null).body(), ChatCompletion.class).usage();

        assertThat(first.promptTokens()).isGreaterThan(200);
        assertThat(second.promptTokens()).isEqualTo(first.promptTokens());
        assertThat(second.cacheHitTokens()).isEqualTo(second.promptTokens() - 1);
        assertThat(second.cacheHitTokens() + second.cacheMissTokens()).isEqualTo(second.promptTokens());
    }

    @Test
    void promptPlusOutputBeyondTheContextIsRejectedUpFront() throws Exception {
        HttpResponse<String> response = post(body(HELLO, ",\"max_tokens\":5000"), "req-too-long");

        assertThat(response.statusCode()).isEqualTo(400);
        ErrorResponse error = json.readValue(response.body(), ErrorResponse.class);
        assertThat(error.error().code()).isEqualTo("context_length_exceeded");
        assertThat(error.error().type()).isEqualTo("invalid_request_error");
        assertThat(error.error().message()).contains("2048");
    }

    @Test
    void malformedJsonAndBadParametersAreInvalidRequests() throws Exception {
        HttpResponse<String> broken = post("{\"model\":\"demo-moe\",\"messages\":[", null);
        HttpResponse<String> badType = post(body(HELLO, ",\"temperature\":\"hot\""), null);
        HttpResponse<String> badRange = post(body(HELLO, ",\"top_p\":3"), null);

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json.readValue(broken.body(), ErrorResponse.class).error().type()).isEqualTo("invalid_request_error");
        assertThat(broken.body()).doesNotContain("Exception", "tools.jackson", "at io.");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(json.readValue(badType.body(), ErrorResponse.class).error().param()).isEqualTo("temperature");
        assertThat(json.readValue(badRange.body(), ErrorResponse.class).error().param()).isEqualTo("top_p");
    }

    @Test
    void anUnknownModelIsNotFound() throws Exception {
        HttpResponse<String> response = post("{\"model\":\"gpt-9\",\"messages\":" + HELLO + "}", null);

        assertThat(response.statusCode()).isEqualTo(404);
        ErrorResponse error = json.readValue(response.body(), ErrorResponse.class);
        assertThat(error.error().code()).isEqualTo("model_not_found");
        assertThat(error.error().param()).isEqualTo("model");
    }

    @Test
    void anUnknownReceiptIsNotFoundInOpenAisShape() throws Exception {
        HttpResponse<String> response = get("/engine/requests/never-seen");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readValue(response.body(), ErrorResponse.class).error().code()).isEqualTo("not_found");
    }

    @Test
    void aClientLeavingMidStreamStopsGenerationAndTheReceiptSaysWhatWasProduced() throws Exception {
        String request = body(HELLO, ",\"stream\":true,\"max_tokens\":1900,\"seed\":9");
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: req-gone-1\r\nContent-Length: " + request.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + request).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String seen = new String(in.readNBytes(600), StandardCharsets.ISO_8859_1);
            assertThat(seen).startsWith("HTTP/1.1 200").contains("\"role\":\"assistant\"");
            socket.setSoLinger(true, 0); // reset the connection, as a crashed client would
        }

        HttpResponse<String> receipt = get("/engine/requests/req-gone-1?waitMs=10000");
        JsonNode body = json.readTree(receipt.body());

        assertThat(receipt.statusCode()).isEqualTo(200);
        assertThat(body.get("id").asString()).isEqualTo("req-gone-1");
        assertThat(body.get("state").asString()).isEqualTo("cancelled");
        assertThat(body.at("/usage/completion_tokens").asInt()).isPositive().isLessThan(1900);
        assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
    }

    @Test
    void aFinishedRequestsReceiptCarriesItsUsage() throws Exception {
        Usage usage = json.readValue(post(body(HELLO, ",\"max_tokens\":6"), "req-done-1").body(), ChatCompletion.class)
                .usage();

        JsonNode receipt = json.readTree(get("/engine/requests/req-done-1?waitMs=1000").body());
        assertThat(receipt.get("state").asString()).isEqualTo("completed");
        assertThat(json.treeToValue(receipt.get("usage"), Usage.class)).isEqualTo(usage);
    }

    @Test
    void twoParallelRequestsBothCompleteWithTheirOwnText() throws Exception {
        String alone21 = content(post(body(HELLO, ",\"max_tokens\":200,\"seed\":21"), null));
        String alone22 = content(post(body(HELLO, ",\"max_tokens\":200,\"seed\":22"), null));

        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> unchecked(() -> text(stream(
                body(HELLO, ",\"stream\":true,\"max_tokens\":200,\"seed\":21"), null))));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> unchecked(() -> text(stream(
                body(HELLO, ",\"stream\":true,\"max_tokens\":200,\"seed\":22"), null))));

        assertThat(alone21).as("two different answers, so that a mix-up between the slots would show").isNotEqualTo(alone22);
        assertThat(a.get()).isEqualTo(alone21);
        assertThat(b.get()).isEqualTo(alone22);
    }

    @Test
    void statusReportsTheSlotPoolsPrefixCacheAndTheKvCacheItHolds() throws Exception {
        String prompt = "[{\"role\":\"user\",\"content\":\"status check with a prompt the slot keeps\"}]";
        post(body(prompt, ",\"max_tokens\":4,\"seed\":3"), null);
        post(body(prompt, ",\"max_tokens\":4,\"seed\":3"), null);

        EngineStatus status = json.readValue(get("/engine/status").body(), EngineStatus.class);
        assertThat(status.runtime()).isEqualTo("llamacpp");
        assertThat(status.model()).isEqualTo("demo-moe");
        assertThat(status.running()).isZero();
        assertThat(status.prefixCacheHits()).as("the second prompt was cached but for its last token").isPositive();
        assertThat(status.prefixCacheQueries()).isGreaterThan(status.prefixCacheHits());
        assertThat(status.kvCacheUsage()).as("the idle slot still holds the prompt").isPositive().isLessThan(1);
        assertThat(get("/metrics").body()).contains("vllm:prefix_cache_hits_total{model_name=\"demo-moe\"} "
                + status.prefixCacheHits() + "\n");
    }

    /** A function whose arguments have a bounded shape, so that the demo model (random weights) finishes a call in a few tokens. */
    private static final String FORECAST = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"forecast\","
            + "\"description\":\"The weather forecast\",\"parameters\":{\"type\":\"object\",\"properties\":{"
            + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},\"days\":{\"type\":\"integer\"}},"
            + "\"required\":[\"unit\",\"days\"]}}}]";
    private static final String FORCED = ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"forecast\"}}";

    /** The arguments match the forecast function's schema. */
    private void assertForecastArguments(String arguments) {
        JsonNode parsed = json.readTree(arguments);
        assertThat(parsed.path("unit").asString()).isIn("celsius", "fahrenheit");
        assertThat(parsed.path("days").isIntegralNumber()).as(arguments).isTrue();
    }

    @Test
    void aRequiredFunctionCallIsMadeWithArgumentsThatMatchItsSchema() throws Exception {
        HttpResponse<String> response = post(body(HELLO, FORECAST + FORCED + ",\"max_tokens\":200,\"seed\":3"), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ChatCompletion completion = json.readValue(response.body(), ChatCompletion.class);
        var choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(choice.message().content()).isNull();
        assertThat(choice.message().toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).startsWith("call_");
            assertThat(call.type()).isEqualTo("function");
            assertThat(call.function().name()).isEqualTo("forecast");
            assertForecastArguments(call.function().arguments());
        });
        assertThat(completion.usage().completionTokens()).isPositive();
    }

    @Test
    void aStreamedFunctionCallComesAsToolCallDeltasAndEndsWithToolCalls() throws Exception {
        List<ChatCompletionChunk> chunks = stream(body(HELLO, FORECAST + ",\"tool_choice\":\"required\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":200,\"seed\":3"), null);

        var calls = chunks.stream().filter(c -> !c.choices().isEmpty() && c.choices().getFirst().delta().toolCalls() != null)
                .flatMap(c -> c.choices().getFirst().delta().toolCalls().stream()).toList();
        assertThat(calls.getFirst().index()).isZero();
        assertThat(calls.getFirst().id()).startsWith("call_");
        assertThat(calls.getFirst().function().name()).isEqualTo("forecast");
        assertThat(calls).allSatisfy(call -> assertThat(call.index()).isZero());
        assertThat(calls.size()).as("the arguments come piece by piece as generated").isGreaterThan(3);
        assertForecastArguments(calls.stream().map(c -> c.function().arguments() == null ? "" : c.function().arguments())
                .collect(Collectors.joining()));
        assertThat(chunks.get(chunks.size() - 2).choices().getFirst().finishReason()).isEqualTo("tool_calls");
        assertThat(chunks.getLast().usage().completionTokens()).isPositive();
    }

    @Test
    void aConversationWithAFunctionCallAndItsResultIsAnswered() throws Exception {
        String messages = "[{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"forecast\","
                + "\"arguments\":\"{\\\"unit\\\":\\\"celsius\\\",\\\"days\\\":2}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny, 21 degrees\"}]";

        HttpResponse<String> response = post(body(messages, FORECAST + ",\"max_tokens\":6,\"seed\":5"), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readValue(response.body(), ChatCompletion.class).usage().promptTokens()).isGreaterThan(100);
    }

    /**
     * Every answer the grammar let end parses and matches; the demo model (random weights) may also run into the output
     * cap inside a long string, which is {@code finish_reason: length}, so several seeds are asked and most must end.
     */
    @Test
    void jsonOutputAlwaysParsesAndMatchesTheSchema() throws Exception {
        String schema = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"verdict\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\",\"maxLength\":10},"
                + "\"sure\":{\"type\":\"boolean\"}},\"required\":[\"answer\",\"sure\"]}}}";
        int ended = 0;
        for (int seed = 1; seed <= 6; seed++) {
            var object = json.readValue(post(body(HELLO, ",\"response_format\":{\"type\":\"json_object\"},"
                    + "\"max_tokens\":120,\"seed\":" + seed), null).body(), ChatCompletion.class).choices().getFirst();
            var verdict = json.readValue(post(body(HELLO, schema + ",\"max_tokens\":120,\"seed\":" + seed), null).body(),
                    ChatCompletion.class).choices().getFirst();

            assertThat(verdict.finishReason()).isEqualTo("stop");
            JsonNode parsed = json.readTree(verdict.message().content());
            assertThat(parsed.path("answer").isString()).as(parsed.toString()).isTrue();
            assertThat(parsed.path("answer").asString().length()).isLessThanOrEqualTo(10);
            assertThat(parsed.path("sure").isBoolean()).as(parsed.toString()).isTrue();
            if ("stop".equals(object.finishReason())) {
                assertThat(json.readTree(object.message().content()).isObject()).isTrue();
                ended++;
            } else {
                assertThat(object.finishReason()).isEqualTo("length");
            }
        }
        assertThat(ended).isGreaterThanOrEqualTo(3);
    }

    @Test
    void thinkingStreamsReasoningContentAndCountsReasoningTokens() throws Exception {
        List<ChatCompletionChunk> chunks = stream(body(HELLO, ",\"thinking\":{\"type\":\"enabled\"},\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":16,\"seed\":5"), null);
        ChatCompletion whole = json.readValue(post(body(HELLO, ",\"thinking\":{\"type\":\"enabled\"},\"max_tokens\":16,"
                + "\"seed\":5"), null).body(), ChatCompletion.class);
        ChatCompletion plain = json.readValue(post(body(HELLO, ",\"thinking\":{\"type\":\"disabled\"},\"max_tokens\":16,"
                + "\"seed\":5"), null).body(), ChatCompletion.class);

        long reasoningChunks = chunks.stream().filter(c -> !c.choices().isEmpty()
                && c.choices().getFirst().delta().reasoningContent() != null).count();
        Usage usage = chunks.getLast().usage();
        assertThat(reasoningChunks).isPositive();
        assertThat(usage.reasoningTokens()).isPositive().isLessThanOrEqualTo(usage.completionTokens());
        assertThat(whole.choices().getFirst().message().reasoningContent()).isNotNull();
        assertThat(whole.usage().reasoningTokens()).isEqualTo(usage.reasoningTokens());
        assertThat(plain.choices().getFirst().message().reasoningContent()).isNull();
        assertThat(plain.usage().reasoningTokens()).isZero();
    }

    @Test
    void whatThisEngineCannotDoIsA400NamingTheMember() throws Exception {
        HttpResponse<String> logprobs = post(body(HELLO, ",\"logprobs\":true,\"max_tokens\":4"), null);
        HttpResponse<String> thinkingJson = post(body(HELLO, ",\"thinking\":{\"type\":\"enabled\"},"
                + "\"response_format\":{\"type\":\"json_object\"},\"max_tokens\":4"), null);
        HttpResponse<String> unknownFunction = post(body(HELLO, FORECAST
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}},\"max_tokens\":4"), null);

        assertThat(logprobs.statusCode()).isEqualTo(400);
        assertThat(json.readValue(logprobs.body(), ErrorResponse.class).error().param()).isEqualTo("logprobs");
        assertThat(thinkingJson.statusCode()).isEqualTo(400);
        assertThat(json.readValue(thinkingJson.body(), ErrorResponse.class).error().param()).isEqualTo("thinking");
        assertThat(json.readValue(unknownFunction.body(), ErrorResponse.class).error().param()).isEqualTo("tool_choice");
    }

    @Test
    void fimFillsTheGapThroughLlamaCppsInfillStreamedOrNot() throws Exception {
        String fim = "{\"model\":\"demo-moe\",\"prompt\":\"def fib(n):\\n    \",\"suffix\":\"\\n    return a\","
                + "\"max_tokens\":8,\"seed\":4";
        HttpResponse<String> whole = http.send(request("/v1/completions", "req-fim-1")
                .POST(HttpRequest.BodyPublishers.ofString(fim + "}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> streamed = http.send(request("/v1/completions", null).POST(HttpRequest.BodyPublishers.ofString(
                fim + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        JsonNode answer = json.readTree(whole.body());
        assertThat(answer.path("id").asString()).isEqualTo("cmpl-req-fim-1");
        assertThat(answer.path("object").asString()).isEqualTo("text_completion");
        assertThat(answer.at("/choices/0/text").isString()).isTrue();
        assertThat(answer.at("/choices/0/finish_reason").asString()).isIn("length", "stop");
        assertThat(answer.at("/usage/prompt_tokens").asInt()).isGreaterThan(10);
        List<JsonNode> chunks = streamed.body().lines().filter(l -> l.startsWith("data: {"))
                .map(l -> json.readTree(l.substring(6))).toList();
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asString()).isEqualTo("text_completion"));
        assertThat(chunks.stream().filter(c -> c.path("choices").size() == 1).map(c -> c.at("/choices/0/text").asString())
                .collect(Collectors.joining())).isEqualTo(answer.at("/choices/0/text").asString());
        assertThat(chunks.getLast().at("/usage/completion_tokens").asInt()).isEqualTo(answer.at("/usage/completion_tokens").asInt());
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
    }

    private static String body(String messages, String more) {
        return "{\"model\":\"demo-moe\",\"messages\":" + messages + more + "}";
    }

    private String content(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readValue(response.body(), ChatCompletion.class).choices().getFirst().message().content();
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        return chunks.stream().filter(c -> !c.choices().isEmpty())
                .map(c -> c.choices().getFirst().delta().content()).filter(s -> s != null)
                .collect(Collectors.joining());
    }

    private List<ChatCompletionChunk> stream(String body, String requestId) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request("/v1/chat/completions", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (SseReader reader = new SseReader(response.body())) {
            for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                if (event.isDone()) {
                    return chunks;
                }
                chunks.add(json.readValue(event.data(), ChatCompletionChunk.class));
            }
        }
        throw new AssertionError("the stream ended without [DONE]");
    }

    private HttpResponse<String> post(String body, String requestId) throws IOException, InterruptedException {
        return http.send(request("/v1/chat/completions", requestId).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path, null).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String requestId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        return requestId == null ? builder : builder.header("X-Request-Id", requestId);
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
