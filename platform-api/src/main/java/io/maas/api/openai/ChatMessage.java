package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One message of a conversation, or the delta of one in a streamed chunk (where every member is
 * optional). {@code reasoningContent} is DeepSeek's chain of thought, sent apart from the answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(
        String role,
        String content,
        @JsonProperty("reasoning_content") String reasoningContent,
        String name) {

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, null, null);
    }
}
