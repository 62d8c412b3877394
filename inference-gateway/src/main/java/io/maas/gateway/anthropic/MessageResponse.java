package io.maas.gateway.anthropic;

import io.maas.api.openai.Usage;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An engine's chat completion as an Anthropic {@code message}: its {@code reasoning_content} as a {@code thinking}
 * block, its content as a {@code text} block, each tool call as a {@code tool_use} block (in that order, as Claude
 * answers), with {@link #stopReason} and {@link #usage}. The rules are shared with the stream ({@link MessageStream}).
 */
final class MessageResponse {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MessageResponse() {
    }

    /**
     * @param completion    the engine's answer ({@code chat.completion})
     * @param usage         what is billed for it (the engine's count)
     * @param id            the message id: {@code msg_} and the gateway's request id
     * @param model         the model that answered
     * @param stopSequences the request's, to tell which one ended the answer
     */
    static ObjectNode of(JsonNode completion, Usage usage, String id, String model, List<String> stopSequences) {
        ObjectNode message = start(id, model);
        ArrayNode content = message.putArray("content");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode answer = choice.path("message");
        String reasoning = string(answer.get("reasoning_content"));
        if (!reasoning.isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
        }
        String text = string(answer.get("content"));
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        JsonNode calls = answer.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            content.addObject().put("type", "tool_use").put("id", toolUseId(call, id, i))
                    .put("name", string(call.path("function").get("name")))
                    .set("input", input(string(call.path("function").get("arguments"))));
        }
        String stopSequence = stopSequence(choice, stopSequences);
        message.put("stop_reason", stopReason(string(choice.get("finish_reason")), !calls.isEmpty(), stopSequence));
        message.put("stop_sequence", stopSequence);
        message.set("usage", usage(usage));
        return message;
    }

    /** A message without content, stop reason or usage yet: the whole answer's start, and the stream's {@code message_start}. */
    static ObjectNode start(String id, String model) {
        ObjectNode message = NODES.objectNode();
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        return message;
    }

    /**
     * Anthropic's {@code stop_reason} for OpenAI's {@code finish_reason}: {@code length} is {@code max_tokens}, tool calls
     * are {@code tool_use} (whatever the finish reason said), {@code content_filter} is {@code refusal}, a stop that
     * matched one of the request's stop sequences is {@code stop_sequence}, any other end {@code end_turn}.
     */
    static String stopReason(String finishReason, boolean calledTools, String stopSequence) {
        if (calledTools || finishReason.equals("tool_calls")) {
            return "tool_use";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "content_filter" -> "refusal";
            default -> stopSequence != null ? "stop_sequence" : "end_turn";
        };
    }

    /**
     * The stop sequence that ended the answer, where the engine says which: vLLM's {@code stop_reason} (the matched
     * string) on a choice that finished with {@code stop}; null otherwise. OpenAI's API does not say, so an engine that
     * does not is taken to have ended its turn.
     */
    static String stopSequence(JsonNode choice, List<String> stopSequences) {
        JsonNode matched = choice.get("stop_reason");
        return matched != null && matched.isString() && stopSequences.contains(matched.asString()) ? matched.asString() : null;
    }

    /**
     * Anthropic's usage for {@code usage}: {@code input_tokens} are the prompt tokens not read from the cache,
     * {@code cache_read_input_tokens} those that were (Anthropic counts them apart, and so does the bill); nothing is
     * ever written to a cache at a price, so {@code cache_creation_input_tokens} is 0.
     */
    static ObjectNode usage(Usage usage) {
        Usage counted = usage == null ? Usage.of(0, 0, 0, 0) : usage.consistent();
        ObjectNode out = NODES.objectNode();
        out.put("input_tokens", counted.cacheMissTokens());
        out.put("cache_creation_input_tokens", 0);
        out.put("cache_read_input_tokens", counted.cacheHitTokens());
        out.put("output_tokens", counted.completionTokens());
        return out;
    }

    /**
     * A tool call's arguments as the {@code input} object. Arguments that are not a JSON object (an engine that did not
     * keep to the schema) are passed on as the JSON string they were, so that nothing the engine said is lost.
     */
    static JsonNode input(String arguments) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(arguments);
            return parsed instanceof ObjectNode ? parsed : NODES.stringNode(arguments);
        } catch (JacksonException e) {
            return NODES.stringNode(arguments);
        }
    }

    /**
     * A tool call's id as the engine gave it; one that gave none gets {@code toolu_}, the message's id and the call's
     * index, so that the client can still answer it with a {@code tool_result}.
     */
    static String toolUseId(JsonNode call, String messageId, int index) {
        String given = string(call.get("id"));
        return given.isEmpty() ? "toolu_" + messageId.substring(messageId.indexOf('_') + 1) + "_" + index : given;
    }

    static String string(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asString();
    }
}
