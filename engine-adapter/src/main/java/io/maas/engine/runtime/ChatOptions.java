package io.maas.engine.runtime;

import io.maas.api.openai.ChatTool;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What a chat generation may ask beyond sampling: the functions the model may call and whether it must, the shape
 * of its answer, its chain of thought, repetition penalties and log probabilities. {@link #NONE} asks for none of it.
 * An engine that cannot honour an option refuses the request before any work ({@code ApiException}, 400, naming the
 * member), never ignores it.
 *
 * @param tools            the functions the model may call
 * @param toolChoice       whether it may, must, or must call one named function
 * @param parallelToolCalls whether it may call several functions in one answer
 * @param format           the answer's shape
 * @param thinking         the chain of thought switched on or off, or the model's default
 * @param presencePenalty  OpenAI's {@code presence_penalty}, null for the engine's default
 * @param frequencyPenalty OpenAI's {@code frequency_penalty}, null for the engine's default
 * @param topLogprobs      log probabilities asked for: -1 none, else {@code logprobs} with this many alternatives
 */
public record ChatOptions(List<ChatTool> tools, ToolChoice toolChoice, boolean parallelToolCalls, OutputFormat format,
                          Thinking thinking, Double presencePenalty, Double frequencyPenalty, int topLogprobs) {

    public static final ChatOptions NONE = new ChatOptions(List.of(), ToolChoice.AUTO, true, OutputFormat.TEXT, Thinking.DEFAULT,
            null, null, -1);

    public ChatOptions {
        tools = List.copyOf(tools);
    }

    /** Whether the request asked for log probabilities. */
    public boolean logprobs() {
        return topLogprobs >= 0;
    }

    /** The function the model must call ({@code tool_choice} naming one, or {@code required} with a single tool); null when none. */
    public ChatTool forcedTool() {
        return switch (toolChoice.mode()) {
            case FUNCTION -> tools.stream().filter(t -> t.function().name().equals(toolChoice.function())).findFirst().orElseThrow();
            case REQUIRED -> tools.size() == 1 ? tools.getFirst() : null;
            case AUTO, NONE -> null;
        };
    }

    /** Whether the model must answer with a function call. */
    public boolean callRequired() {
        return !tools.isEmpty() && (toolChoice.mode() == ToolChoice.Mode.REQUIRED || toolChoice.mode() == ToolChoice.Mode.FUNCTION);
    }

    /** Whether the model is offered functions at all ({@code tool_choice: none} hides them). */
    public boolean offersTools() {
        return !tools.isEmpty() && toolChoice.mode() != ToolChoice.Mode.NONE;
    }

    /** {@code tool_choice}: {@code function} is the name when {@code mode} is {@link Mode#FUNCTION}, else null. */
    public record ToolChoice(Mode mode, String function) {

        public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);

        public enum Mode { AUTO, NONE, REQUIRED, FUNCTION }
    }

    /** {@code response_format}: free text, any JSON object, or JSON matching {@code schema}. */
    public record OutputFormat(Kind kind, JsonNode schema) {

        public static final OutputFormat TEXT = new OutputFormat(Kind.TEXT, null);

        public enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }
    }

    /** DeepSeek's {@code thinking} switch. */
    public enum Thinking { DEFAULT, ENABLED, DISABLED }
}
