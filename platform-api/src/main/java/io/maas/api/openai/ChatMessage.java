package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One message of a conversation, or the delta of one in a streamed chunk (where every member is
 * optional). {@code reasoningContent} is DeepSeek's chain of thought, sent apart from the answer;
 * {@code toolCalls} the functions an assistant called, and {@code toolCallId} the call a {@code tool} message answers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(
        String role,
        String content,
        @JsonProperty("reasoning_content") String reasoningContent,
        String name,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("tool_call_id") String toolCallId) {

    public ChatMessage(String role, String content, String reasoningContent, String name) {
        this(role, content, reasoningContent, name, null, null);
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, null, null);
    }
}
