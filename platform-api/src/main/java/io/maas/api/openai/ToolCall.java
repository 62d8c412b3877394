package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A function call the model made ({@code message.tool_calls[]}), or a piece of one in a streamed chunk
 * ({@code delta.tool_calls[]}): there the first piece of a call carries its {@code index}, {@code id}, {@code type}
 * and the function's {@code name}, and later pieces only the {@code index} and more {@code arguments} text, which
 * the client appends. {@code arguments} is JSON text, as OpenAI sends it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolCall(Integer index, String id, String type, Function function) {

    public static final String FUNCTION = "function";

    /** A whole call, as a non-streamed answer holds it. */
    public static ToolCall of(String id, String name, String arguments) {
        return new ToolCall(null, id, FUNCTION, new Function(name, arguments));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(String name, String arguments) {
    }
}
