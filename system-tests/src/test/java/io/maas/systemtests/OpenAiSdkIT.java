package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import io.maas.api.keys.ApiKeySecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The official OpenAI Java SDK against gateway → engine adapter → llama.cpp, as a tenant uses it. */
class OpenAiSdkIT {

    private final Platform platform = Platform.get();
    private final OpenAIClient client = client(platform.apiKey);

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(platform.baseUrl()).apiKey(key).maxRetries(0).build();
    }

    /** Sampled with a fixed seed: the demo model's greedy answer to some prompts is empty. */
    private static ChatCompletionCreateParams.Builder params(String prompt, int maxTokens) {
        return ChatCompletionCreateParams.builder()
                .model(Platform.MODEL)
                .addSystemMessage("You are a helpful assistant.")
                .addUserMessage(prompt)
                .maxCompletionTokens(maxTokens)
                .putAdditionalBodyProperty("seed", JsonValue.from(42));
    }

    @Test
    void completesAndTheUsageSeenEqualsTheStoredRecord() {
        HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse()
                .create(params("Tell me about mixture of experts.", 24).build());
        ChatCompletion completion = response.parse();
        CompletionUsage usage = completion.usage().orElseThrow();

        assertThat(completion.model()).isEqualTo(Platform.MODEL);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).isPresent();
        assertThat(usage.completionTokens()).isBetween(1L, 24L);
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

        var record = UsageRecords.await(response.headers().values("x-request-id").getFirst());
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.stream()).isFalse();
        assertThat(record.promptTokens()).isEqualTo(usage.promptTokens());
        assertThat(record.completionTokens()).isEqualTo(usage.completionTokens());
        assertThat(record.cacheHitTokens()).isEqualTo(usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L));
    }

    @Test
    void streamsChunkByChunkAndTheUsageSeenEqualsTheStoredRecord() {
        var params = params("Stream a few words, please.", 32)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        String requestId;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
                     client.chat().completions().withRawResponse().createStreaming(params)) {
            requestId = response.headers().values("x-request-id").getFirst();
            try (StreamResponse<ChatCompletionChunk> stream = response.parse()) {
                stream.stream().forEach(chunks::add);
            }
        }
        CompletionUsage usage = chunks.getLast().usage().orElseThrow();
        long contentChunks = chunks.stream().filter(c -> !c.choices().isEmpty()
                && c.choices().getFirst().delta().content().filter(s -> !s.isEmpty()).isPresent()).count();

        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(contentChunks).isPositive().isLessThanOrEqualTo(usage.completionTokens());
        var record = UsageRecords.await(requestId);
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.stream()).isTrue();
        assertThat(record.promptTokens()).isEqualTo(usage.promptTokens());
        assertThat(record.completionTokens()).isEqualTo(usage.completionTokens());
    }

    @Test
    void aRepeatedPromptIsServedFromThePromptCacheAndBilledAsCacheHits() {
        String longPrompt = "Summarise the history of the platform in detail. ".repeat(12);
        client.chat().completions().create(params(longPrompt, 4).build());

        HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse().create(params(longPrompt, 4).build());
        CompletionUsage usage = second.parse().usage().orElseThrow();

        long cached = usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L);
        assertThat(cached).isPositive().isLessThanOrEqualTo(usage.promptTokens());
        var record = UsageRecords.await(second.headers().values("x-request-id").getFirst());
        assertThat(record.cacheHitTokens()).isEqualTo(cached);
        assertThat(record.cacheHitTokens() + record.cacheMissTokens()).isEqualTo(record.promptTokens());
    }

    @Test
    void aWrongKeyAnUnknownModelAndABadParameterAreTheSdksTypedErrors() {
        assertThatThrownBy(() -> client(ApiKeySecret.generate()).chat().completions().create(params("hi", 4).build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
        assertThatThrownBy(() -> client.chat().completions().create(params("hi", 4).model("no-such-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
        assertThatThrownBy(() -> client.chat().completions().create(params("hi", 4).temperature(7.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("temperature"));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A function whose arguments have a bounded shape, so that the demo model (random weights) finishes its call. */
    private static final ChatCompletionTool FORECAST = ChatCompletionTool.ofFunction(ChatCompletionFunctionTool.builder()
            .function(FunctionDefinition.builder().name("forecast").description("The weather forecast for the coming days")
                    .parameters(FunctionParameters.builder()
                            .putAdditionalProperty("type", JsonValue.from("object"))
                            .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                    "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")),
                                    "days", Map.of("type", "integer"))))
                            .putAdditionalProperty("required", JsonValue.from(List.of("unit", "days")))
                            .build())
                    .build())
            .build());

    private static ChatCompletionCreateParams.Builder forecast() {
        return ChatCompletionCreateParams.builder().model(Platform.MODEL).addUserMessage("What will the weather be?")
                .addTool(FORECAST).maxCompletionTokens(200).putAdditionalBodyProperty("seed", JsonValue.from(3))
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("forecast").build()).build());
    }

    private static void assertForecastArguments(String arguments) {
        JsonNode parsed = JSON.readTree(arguments);
        assertThat(parsed.path("unit").asString()).isIn("celsius", "fahrenheit");
        assertThat(parsed.path("days").isIntegralNumber()).as(arguments).isTrue();
    }

    @Test
    void aRequiredFunctionIsCalledWithArgumentsThatMatchItsSchemaAndTheConversationGoesOn() {
        HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(forecast().build());
        ChatCompletion completion = response.parse();
        var choice = completion.choices().getFirst();

        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("forecast");
        assertForecastArguments(call.function().arguments());
        var record = UsageRecords.await(response.headers().values("x-request-id").getFirst());
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.completionTokens()).isEqualTo(completion.usage().orElseThrow().completionTokens());

        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder().model(Platform.MODEL)
                .addUserMessage("What will the weather be?").addTool(FORECAST).addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("sunny, 21 degrees").build())
                .maxCompletionTokens(8).putAdditionalBodyProperty("seed", JsonValue.from(5)).build());
        assertThat(answer.choices().getFirst().message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(answer.usage().orElseThrow().promptTokens()).isGreaterThan(completion.usage().orElseThrow().promptTokens());
    }

    @Test
    void aStreamedFunctionCallIsAssembledByTheSdksAccumulator() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(forecast().build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        var choice = accumulator.chatCompletion().choices().getFirst();

        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(call.function().name()).isEqualTo("forecast");
        assertForecastArguments(call.function().arguments());
    }

    /**
     * JSON output is enforced by the engine: a json_schema answer matches its schema. (A json_object answer parses too,
     * but the demo model, with random weights, may run into the output cap inside an open-ended string; the engine's
     * ChatCompletionsIT asks several seeds for it.)
     */
    @Test
    void jsonOutputMatchesTheSchemaAsked() {
        ChatCompletion verdict = client.chat().completions().create(params("Is a mixture of experts fast?", 100)
                .putAdditionalBodyProperty("seed", JsonValue.from(5))
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("verdict").strict(true).schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("fast", Map.of("type", "boolean"),
                                        "stars", Map.of("type", "integer"), "mood", Map.of("enum", List.of("good", "bad")))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("fast", "stars", "mood")))
                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                .build()).build()).build()).build());

        assertThat(verdict.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        JsonNode parsed = JSON.readTree(verdict.choices().getFirst().message().content().orElseThrow());
        assertThat(parsed.path("fast").isBoolean()).as(parsed.toString()).isTrue();
        assertThat(parsed.path("stars").isIntegralNumber()).as(parsed.toString()).isTrue();
        assertThat(parsed.path("mood").asString()).isIn("good", "bad");
    }

    @Test
    void fimFillsTheGapBetweenPromptAndSuffixAndIsBilledLikeChat() {
        HttpResponseFor<Completion> response = client.completions().withRawResponse().create(CompletionCreateParams.builder()
                .model(Platform.MODEL).prompt("def fib(n):\n    a, b = 0, 1\n").suffix("\n    return a").maxTokens(8).seed(4).build());
        Completion completion = response.parse();
        CompletionUsage usage = completion.usage().orElseThrow();

        assertThat(completion.choices()).singleElement().satisfies(choice -> assertThat(choice.text()).isNotNull());
        assertThat(usage.completionTokens()).isBetween(1L, 8L);
        var record = UsageRecords.await(response.headers().values("x-request-id").getFirst());
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.promptTokens()).isEqualTo(usage.promptTokens());
        assertThat(record.completionTokens()).isEqualTo(usage.completionTokens());
    }

    @Test
    void aParameterOfTheWrongTypeIsTheSdksBadRequestNamingIt() {
        assertThatThrownBy(() -> client.chat().completions().create(params("hi", 4)
                .putAdditionalBodyProperty("max_tokens", JsonValue.from("20")).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("max_tokens"));
        assertThatThrownBy(() -> client.chat().completions().create(params("hi", 4).n(3).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("n"));
        assertThatThrownBy(() -> client.chat().completions().create(params("hi", 4).logprobs(true).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("logprobs"));
    }
}
