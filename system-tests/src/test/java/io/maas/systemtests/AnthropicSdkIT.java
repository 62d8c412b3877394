package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import io.maas.api.keys.ApiKeySecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK against the gateway's Messages API ({@code /anthropic}) → engine adapter →
 * llama.cpp, as Claude Code's users point it there: a {@code claude-*} model name answered by the platform's model,
 * billed in the same usage records as chat completions.
 */
class AnthropicSdkIT {

    /** Mapped to the platform's first model by the default alias {@code claude-*}. */
    private static final String CLAUDE = "claude-sonnet-4-5";

    private final Platform platform = Platform.get();
    private final AnthropicClient client = client(platform.apiKey);

    private AnthropicClient client(String key) {
        return AnthropicOkHttpClient.builder().baseUrl(platform.gateway + "/anthropic").apiKey(key).maxRetries(0).build();
    }

    private static MessageCreateParams.Builder params(String prompt, long maxTokens) {
        return MessageCreateParams.builder()
                .model(CLAUDE)
                .maxTokens(maxTokens)
                .system("You are a helpful assistant.")
                .addUserMessage(prompt);
    }

    @Test
    void aMessageIsAnsweredByThePlatformsModelAndBilledAsTheUsageItReports() {
        HttpResponseFor<Message> response = client.messages().withRawResponse().create(params("Tell me about mixture of experts.", 24).build());
        Message message = response.parse();

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo(Platform.MODEL);
        assertThat(message.stopReason()).hasValueSatisfying(reason -> assertThat(reason).isIn(StopReason.END_TURN, StopReason.MAX_TOKENS));
        assertThat(message.content()).allSatisfy(block -> assertThat(block.isText()).isTrue());
        assertThat(message.usage().outputTokens()).isBetween(1L, 24L);
        var record = UsageRecords.await(response.headers().values("request-id").getFirst());
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.model()).isEqualTo(Platform.MODEL);
        assertThat(record.stream()).isFalse();
        assertThat(record.cacheMissTokens()).isEqualTo(message.usage().inputTokens());
        assertThat(record.cacheHitTokens()).isEqualTo(message.usage().cacheReadInputTokens().orElse(0L));
        assertThat(record.completionTokens()).isEqualTo(message.usage().outputTokens());
    }

    @Test
    void aStreamIsAnthropicsEventSequenceAndItsTextAssemblesIntoTheMessage() {
        List<RawMessageStreamEvent> events = new ArrayList<>();
        String requestId;
        try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> response =
                     client.messages().withRawResponse().createStreaming(params("Stream a few words, please.", 32).build())) {
            requestId = response.headers().values("request-id").getFirst();
            try (StreamResponse<RawMessageStreamEvent> stream = response.parse()) {
                stream.stream().forEach(events::add);
            }
        }
        MessageAccumulator accumulator = MessageAccumulator.create();
        events.forEach(accumulator::accumulate);
        Message message = accumulator.message();
        String deltas = events.stream().filter(RawMessageStreamEvent::isContentBlockDelta)
                .map(event -> event.asContentBlockDelta().delta())
                .filter(delta -> delta.isText())
                .map(delta -> delta.asText().text())
                .collect(Collectors.joining());

        assertThat(events.getFirst().isMessageStart()).isTrue();
        assertThat(events.get(events.size() - 2).isMessageDelta()).isTrue();
        assertThat(events.getLast().isMessageStop()).isTrue();
        assertThat(events.stream().filter(RawMessageStreamEvent::isContentBlockStart).count())
                .isEqualTo(events.stream().filter(RawMessageStreamEvent::isContentBlockStop).count());
        assertThat(message.content().stream().filter(ContentBlock::isText).map(block -> block.asText().text())
                .collect(Collectors.joining())).isEqualTo(deltas);
        long outputTokens = events.get(events.size() - 2).asMessageDelta().usage().outputTokens();
        var record = UsageRecords.await(requestId);
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.stream()).isTrue();
        assertThat(record.completionTokens()).isEqualTo(outputTokens).isBetween(1L, 32L);
        assertThat(record.cacheMissTokens()).isEqualTo(events.get(events.size() - 2).asMessageDelta().usage().inputTokens().orElseThrow());
    }

    /** Thinking switched on: the chain of thought streams as a thinking block first (greedy: the demo model thinks at length for this prompt). */
    @Test
    void withThinkingOnTheChainOfThoughtStreamsAsAThinkingBlock() {
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("Tell me about mixture of experts.", 48)
                .enabledThinking(1024).putAdditionalBodyProperty("temperature", JsonValue.from(0.0)).build())) {
            stream.stream().forEach(events::add);
        }
        MessageAccumulator accumulator = MessageAccumulator.create();
        events.forEach(accumulator::accumulate);
        Message message = accumulator.message();

        assertThat(events.stream().filter(RawMessageStreamEvent::isContentBlockStart).findFirst().orElseThrow()
                .asContentBlockStart().contentBlock().isThinking()).isTrue();
        assertThat(events.stream().filter(RawMessageStreamEvent::isContentBlockDelta)
                .anyMatch(event -> event.asContentBlockDelta().delta().isThinking())).isTrue();
        assertThat(message.content().getFirst().asThinking().thinking()).isNotEmpty();
        assertThat(message.content()).noneMatch(ContentBlock::isToolUse);
    }

    /**
     * The demo model has random weights: it calls the tool because {@code tool_choice} names it, and the engine holds it
     * to the schema with a grammar. The schema's values are bounded (an enum), so that the call ends within the cap.
     */
    @Test
    void aToolNamedByToolChoiceIsCalledWithInputThatMatchesItsSchema() {
        Tool weather = Tool.builder()
                .name("get_weather")
                .description("Get the current weather in a given city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string", "enum", List.of("Paris", "Beijing"))))
                                .build())
                        .required(List.of("city"))
                        .build())
                .build();
        HttpResponseFor<Message> response = client.messages().withRawResponse().create(params("What is the weather like in Paris?", 200)
                .addTool(weather)
                .toolChoice(ToolChoiceTool.builder().name("get_weather").build())
                .build());
        Message message = response.parse();

        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        ToolUseBlock call = message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
                .findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.id()).isNotBlank();
        @SuppressWarnings("unchecked")
        Map<String, Object> input = call._input().convert(Map.class);
        assertThat(input.get("city")).isIn("Paris", "Beijing");
        var record = UsageRecords.await(response.headers().values("request-id").getFirst());
        assertThat(record.completionTokens()).isEqualTo(message.usage().outputTokens());
    }

    @Test
    void theModelsListShowsThePlatformsModels() {
        List<ModelInfo> models = client.models().list().data();

        assertThat(models).extracting(ModelInfo::id).contains(Platform.MODEL);
    }

    @Test
    void aWrongKeyAndAnUnknownModelAreTheSdksTypedErrorsInAnthropicsShape() {
        assertThatThrownBy(() -> client(ApiKeySecret.generate()).messages().create(params("hi", 4).build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.type()).hasValue(ErrorType.AUTHENTICATION_ERROR));
        assertThatThrownBy(() -> client.messages().create(params("hi", 4).model("gpt-nothing").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.type()).hasValue(ErrorType.NOT_FOUND_ERROR));
    }

    /** What the SDK cannot send (its builder requires max_tokens), sent as any other client could. */
    @Test
    void aRequestWithoutMaxTokensIs400InvalidRequestErrorAndABadBearerKey401() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"" + CLAUDE + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(platform.gateway + "/anthropic/v1/messages"))
                .header("x-api-key", platform.apiKey).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badKey = http.send(HttpRequest.newBuilder(URI.create(platform.gateway + "/anthropic/v1/messages"))
                .header("Authorization", "Bearer " + ApiKeySecret.generate()).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"max_tokens: Field required\"}");
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(badKey.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",");
    }
}
