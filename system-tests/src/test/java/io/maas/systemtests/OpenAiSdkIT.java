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
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.maas.api.keys.ApiKeySecret;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
