package io.maas.engine.llamacpp;

import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.ChatTool;
import io.maas.api.openai.ToolCall;
import io.maas.engine.runtime.ChatOptions;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A conversation with functions, as the messages a chat template renders (role and text only): the convention of the
 * Hermes and Qwen templates. The functions are described in the system message, inside {@code <tools>…</tools>}, with
 * the instruction to call one as {@code <tool_call>{"name": …, "arguments": {…}}</tool_call>}; an assistant's earlier
 * calls are written back in that form, and a tool result becomes a user turn inside
 * {@code <tool_response>…</tool_response>}. {@link AnswerRouter} reads calls back from the same markers.
 */
final class ToolPrompt {

    static final String CALL_OPEN = "<tool_call>";
    static final String CALL_CLOSE = "</tool_call>";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolPrompt() {
    }

    /** The messages to render: {@code messages} with the functions offered and the calls and results written as text. */
    static List<ChatMessage> render(List<ChatMessage> messages, ChatOptions options) {
        List<ChatMessage> rendered = new ArrayList<>(messages.size() + 1);
        boolean described = !options.offersTools();
        for (ChatMessage message : messages) {
            if (!described && "system".equals(message.role())) {
                rendered.add(ChatMessage.of("system", message.content() + "\n\n" + describe(options.tools())));
                described = true;
            } else if ("tool".equals(message.role())) {
                rendered.add(ChatMessage.of("user", "<tool_response>\n" + message.content() + "\n</tool_response>"));
            } else if (message.toolCalls() != null && !message.toolCalls().isEmpty()) {
                StringBuilder text = new StringBuilder(message.content() == null ? "" : message.content());
                for (ToolCall call : message.toolCalls()) {
                    text.append(text.isEmpty() ? "" : "\n").append(CALL_OPEN).append('\n').append(call(call)).append('\n').append(CALL_CLOSE);
                }
                rendered.add(ChatMessage.of(message.role(), text.toString()));
            } else {
                rendered.add(message);
            }
        }
        if (!described) {
            rendered.addFirst(ChatMessage.of("system", describe(options.tools())));
        }
        return rendered;
    }

    private static String describe(List<ChatTool> tools) {
        StringBuilder text = new StringBuilder("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
        for (ChatTool tool : tools) {
            text.append('\n').append(JSON.writeValueAsString(tool));
        }
        return text.append("\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
                + CALL_OPEN + CALL_CLOSE + " XML tags:\n" + CALL_OPEN + "\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
                + CALL_CLOSE).toString();
    }

    /** An earlier call as the model would have written it; arguments that are not JSON are kept as a string. */
    private static String call(ToolCall call) {
        ObjectNode written = JSON.createObjectNode().put("name", call.function().name());
        String arguments = call.function().arguments() == null ? "{}" : call.function().arguments();
        JsonNode parsed;
        try {
            parsed = JSON.readTree(arguments);
        } catch (tools.jackson.core.JacksonException e) {
            parsed = written.stringNode(arguments);
        }
        written.set("arguments", parsed);
        return JSON.writeValueAsString(written);
    }
}
