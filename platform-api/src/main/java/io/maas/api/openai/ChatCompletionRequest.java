package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/chat/completions}. {@code stop} accepts a single string or a list, as OpenAI does.
 * {@code maxCompletionTokens} is the newer name of {@code maxTokens}; {@link #outputLimit()} reads either.
 * {@code toolChoice} is {@code "none"}, {@code "auto"}, {@code "required"} or {@code {"type":"function","function":{"name":…}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> stop,
        Long seed,
        String user,
        List<ChatTool> tools,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        Thinking thinking,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs) {

    /** A request without tools, output format, thinking switch, penalties or log probabilities. */
    public ChatCompletionRequest(String model, List<ChatMessage> messages, Boolean stream, StreamOptions streamOptions,
                                 Integer maxTokens, Integer maxCompletionTokens, Double temperature, Double topP,
                                 List<String> stop, Long seed, String user) {
        this(model, messages, stream, streamOptions, maxTokens, maxCompletionTokens, temperature, topP, stop, seed, user,
                null, null, null, null, null, null, null, null, null);
    }

    public boolean isStream() {
        return Boolean.TRUE.equals(stream);
    }

    public boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** The requested output cap, {@code max_completion_tokens} winning over {@code max_tokens}; null when absent. */
    public Integer outputLimit() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }
}
