package io.maas.gateway.anthropic;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request of Anthropic's Messages API ({@code POST /anthropic/v1/messages}), checked and translated once into the
 * chat completions request that the rest of the gateway parses, admits, routes and bills like any other:
 * <ul>
 *   <li>{@code system} (a string or text blocks) becomes the first, {@code system}, message;</li>
 *   <li>a user turn's text blocks become one user message, each {@code tool_result} block a {@code tool} message
 *       (in the order written); an assistant turn's text blocks its {@code content}, its {@code thinking} blocks its
 *       {@code reasoning_content} (DeepSeek's), its {@code tool_use} blocks its {@code tool_calls};</li>
 *   <li>{@code max_tokens} (required, as in Anthropic's API), {@code temperature}, {@code top_p} keep their names;
 *       {@code stop_sequences} becomes {@code stop};</li>
 *   <li>{@code tools} become functions ({@code input_schema} the {@code parameters}); {@code tool_choice}
 *       {@code auto}/{@code any}/{@code tool}/{@code none} becomes {@code auto}/{@code required}/the named function/
 *       {@code none}, {@code disable_parallel_tool_use} {@code parallel_tool_calls: false};</li>
 *   <li>{@code thinking} {@code enabled} (or {@code adaptive}) / {@code disabled} becomes DeepSeek's {@code thinking}
 *       switch; {@code budget_tokens} is checked and not passed on: {@code max_tokens} bounds the whole answer.</li>
 * </ul>
 * What changes nothing an engine does is accepted and dropped, as DeepSeek's Anthropic API does: {@code metadata},
 * {@code service_tier}, {@code cache_control} and {@code citations} on blocks, a tool result's {@code is_error}, a
 * thinking block's {@code signature}. Everything else (images, documents, server tools, {@code top_k}, unknown members)
 * is refused with 400 naming the member, so a client never gets an answer to a request it did not make.
 *
 * @param model         the model name the client asked for
 * @param stream        whether the answer is streamed
 * @param stopSequences the client's {@code stop_sequences}, to tell {@code stop_sequence} from {@code end_turn}
 * @param chat          the chat completions request, without {@code model}; private to this record
 */
record MessagesRequest(String model, boolean stream, List<String> stopSequences, ObjectNode chat) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> MEMBERS = Set.of("model", "messages", "max_tokens", "system", "stop_sequences",
            "temperature", "top_p", "stream", "tools", "tool_choice", "thinking", "top_k", "metadata", "service_tier");
    private static final Map<String, String> TOOL_CHOICES = Map.of("auto", "auto", "any", "required", "none", "none");
    /** Block members accepted everywhere and dropped. */
    private static final Set<String> BLOCK_DROPPED = Set.of("cache_control", "citations");
    private static final String SEPARATOR = "\n\n";

    MessagesRequest {
        stopSequences = List.copyOf(stopSequences);
        chat = chat.deepCopy();
    }

    /** The chat completions request for {@code servedModel}, the model the client's name maps to. */
    ObjectNode chatRequest(String servedModel) {
        ObjectNode request = NODES.objectNode();
        request.put("model", servedModel);
        request.setAll(chat.deepCopy());
        return request;
    }

    /**
     * Checks {@code body} and translates it.
     *
     * @throws ApiException 400 naming the member at fault, as Anthropic's path ({@code messages.0.content.1.type})
     */
    static MessagesRequest of(JsonNode body) {
        if (!(body instanceof ObjectNode request)) {
            throw invalid(null, "The request body must be a JSON object with 'model', 'max_tokens' and 'messages'.");
        }
        for (String member : request.propertyNames()) {
            if (!MEMBERS.contains(member)) {
                throw invalid(member, "Extra inputs are not permitted. This gateway accepts " + new TreeSet<>(MEMBERS) + ".");
            }
        }
        if (present(request.get("top_k"))) {
            throw invalid("top_k", "top_k is not supported by this platform's engines; use temperature or top_p.");
        }
        String model = text(request, "model", true);
        if (model.isBlank()) {
            throw invalid("model", "must name a model; GET /anthropic/v1/models lists them.");
        }
        ObjectNode chat = NODES.objectNode();
        chat.set("messages", messages(request));
        chat.put("max_tokens", maxTokens(request.get("max_tokens")));
        List<String> stops = stopSequences(request.get("stop_sequences"));
        if (!stops.isEmpty()) {
            ArrayNode stop = chat.putArray("stop");
            stops.forEach(stop::add);
        }
        for (String sampling : List.of("temperature", "top_p")) {
            JsonNode value = request.get(sampling);
            if (present(value)) {
                if (!value.isNumber()) {
                    throw invalid(sampling, "Input should be a valid number; was " + value + ".");
                }
                chat.set(sampling, value);
            }
        }
        boolean stream = bool(request, "stream", "stream");
        if (stream) {
            chat.put("stream", true); // the usage comes with the end of the stream, whether asked for or not
        }
        JsonNode tools = request.get("tools");
        if (present(tools)) {
            chat.set("tools", tools(tools));
        }
        toolChoice(request.get("tool_choice"), chat);
        JsonNode thinking = request.get("thinking");
        if (present(thinking)) {
            chat.putObject("thinking").put("type", thinking(thinking));
        }
        return new MessagesRequest(model, stream, stops, chat);
    }

    private static ArrayNode messages(ObjectNode request) {
        ArrayNode out = NODES.arrayNode();
        JsonNode system = request.get("system");
        if (present(system)) {
            out.addObject().put("role", "system").put("content", joinedText(system, "system"));
        }
        JsonNode messages = request.get("messages");
        if (messages == null || messages.isNull()) {
            throw invalid("messages", "Field required");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("messages", "must be a non-empty list of {role, content} objects.");
        }
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages." + i;
            if (!(messages.get(i) instanceof ObjectNode message)) {
                throw invalid(path, "Input should be an object with 'role' and 'content'.");
            }
            for (String member : message.propertyNames()) {
                if (!member.equals("role") && !member.equals("content")) {
                    throw invalid(path + "." + member, "Extra inputs are not permitted.");
                }
            }
            String role = text(message, "role", true, path + ".role");
            switch (role) {
                case "user" -> user(message.get("content"), path + ".content", out);
                case "assistant" -> assistant(message.get("content"), path + ".content", out);
                default -> throw invalid(path + ".role", "Input should be 'user' or 'assistant'; was '" + role + "'.");
            }
        }
        return out;
    }

    /** A user turn: its text as one user message, each tool result (in the order written) as a tool message. */
    private static void user(JsonNode content, String path, ArrayNode out) {
        if (content != null && content.isString()) {
            out.addObject().put("role", "user").put("content", content.asString());
            return;
        }
        List<String> text = new ArrayList<>();
        int count = blocks(content, path).size();
        for (int j = 0; j < count; j++) {
            String blockPath = path + "." + j;
            ObjectNode block = block(content.get(j), blockPath);
            switch (block.get("type").asString()) {
                case "text" -> text.add(blockText(block, blockPath));
                case "tool_result" -> {
                    flush(text, out);
                    only(block, blockPath, "tool_use_id", "content", "is_error");
                    ObjectNode tool = out.addObject().put("role", "tool")
                            .put("tool_call_id", text(block, "tool_use_id", true, blockPath + ".tool_use_id"));
                    JsonNode result = block.get("content");
                    tool.put("content", present(result) ? joinedText(result, blockPath + ".content") : "");
                }
                default -> throw unsupported(block, blockPath, "a user turn takes text and tool_result blocks");
            }
        }
        flush(text, out);
    }

    private static void flush(List<String> text, ArrayNode out) {
        if (!text.isEmpty()) {
            out.addObject().put("role", "user").put("content", String.join(SEPARATOR, text));
            text.clear();
        }
    }

    /** An assistant turn: text as {@code content}, thinking as {@code reasoning_content}, tool uses as {@code tool_calls}. */
    private static void assistant(JsonNode content, String path, ArrayNode out) {
        ObjectNode message = out.addObject().put("role", "assistant");
        if (content != null && content.isString()) {
            message.put("content", content.asString());
            return;
        }
        List<String> text = new ArrayList<>();
        List<String> thinking = new ArrayList<>();
        ArrayNode calls = NODES.arrayNode();
        int count = blocks(content, path).size();
        for (int j = 0; j < count; j++) {
            String blockPath = path + "." + j;
            ObjectNode block = block(content.get(j), blockPath);
            switch (block.get("type").asString()) {
                case "text" -> text.add(blockText(block, blockPath));
                case "thinking" -> {
                    only(block, blockPath, "thinking", "signature");
                    thinking.add(text(block, "thinking", true, blockPath + ".thinking"));
                }
                case "tool_use" -> {
                    only(block, blockPath, "id", "name", "input");
                    JsonNode input = block.get("input");
                    if (!(input instanceof ObjectNode)) {
                        throw invalid(blockPath + ".input", "Input should be an object.");
                    }
                    ObjectNode call = calls.addObject().put("id", text(block, "id", true, blockPath + ".id")).put("type", "function");
                    call.putObject("function").put("name", text(block, "name", true, blockPath + ".name"))
                            .put("arguments", input.toString());
                }
                default -> throw unsupported(block, blockPath, "an assistant turn takes text, thinking and tool_use blocks");
            }
        }
        message.put("content", text.isEmpty() ? null : String.join(SEPARATOR, text));
        if (!thinking.isEmpty()) {
            message.put("reasoning_content", String.join(SEPARATOR, thinking));
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
    }

    private static JsonNode blocks(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            throw invalid(path, "Field required");
        }
        if (!content.isArray()) {
            throw invalid(path, "Input should be a string or a list of content blocks.");
        }
        return content;
    }

    private static ObjectNode block(JsonNode block, String path) {
        if (!(block instanceof ObjectNode object) || !(object.get("type") != null && object.get("type").isString())) {
            throw invalid(path + ".type", "Each content block must be an object with a 'type'.");
        }
        return object;
    }

    private static String blockText(ObjectNode block, String path) {
        only(block, path, "text");
        return text(block, "text", true, path + ".text");
    }

    /** Refuses members of a block other than {@code type}, the ones named and those dropped everywhere. */
    private static void only(ObjectNode block, String path, String... members) {
        Set<String> allowed = Set.of(members);
        for (String member : block.propertyNames()) {
            if (!member.equals("type") && !allowed.contains(member) && !BLOCK_DROPPED.contains(member)) {
                throw invalid(path + "." + member, "Extra inputs are not permitted.");
            }
        }
    }

    private static ApiException unsupported(ObjectNode block, String path, String what) {
        return invalid(path + ".type", "Content blocks of type '" + block.get("type").asString()
                + "' are not supported by this platform; " + what + ".");
    }

    /** A string, or a list of text blocks joined: {@code system} and a tool result's {@code content}. */
    private static String joinedText(JsonNode value, String path) {
        if (value.isString()) {
            return value.asString();
        }
        if (!value.isArray()) {
            throw invalid(path, "Input should be a string or a list of text blocks.");
        }
        List<String> parts = new ArrayList<>();
        for (int j = 0; j < value.size(); j++) {
            ObjectNode block = block(value.get(j), path + "." + j);
            if (!block.get("type").asString().equals("text")) {
                throw unsupported(block, path + "." + j, "only text blocks are accepted here");
            }
            parts.add(blockText(block, path + "." + j));
        }
        return String.join(SEPARATOR, parts);
    }

    private static int maxTokens(JsonNode value) {
        if (value == null || value.isNull()) {
            throw invalid("max_tokens", "Field required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw invalid("max_tokens", "Input should be an integer of at least 1 (a JSON number without quotes or fraction);"
                    + " was " + value + ".");
        }
        return value.intValue();
    }

    private static List<String> stopSequences(JsonNode value) {
        if (!present(value)) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid("stop_sequences", "Input should be a list of strings.");
        }
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString() || value.get(i).asString().isEmpty()) {
                throw invalid("stop_sequences." + i, "Input should be a non-empty string.");
            }
            stops.add(value.get(i).asString());
        }
        return stops;
    }

    /** Anthropic's custom tools as functions; server tools (web search, code execution, …) are refused. */
    private static ArrayNode tools(JsonNode tools) {
        if (!tools.isArray()) {
            throw invalid("tools", "Input should be a list of tools.");
        }
        ArrayNode functions = NODES.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools." + i;
            if (!(tools.get(i) instanceof ObjectNode tool)) {
                throw invalid(path, "Input should be an object with 'name' and 'input_schema'.");
            }
            JsonNode type = tool.get("type");
            if (present(type) && !(type.isString() && type.asString().equals("custom"))) {
                throw invalid(path + ".type", "Only custom tools (name, description, input_schema) are supported by this"
                        + " platform; was " + type + ".");
            }
            for (String member : tool.propertyNames()) {
                if (!Set.of("type", "name", "description", "input_schema", "cache_control").contains(member)) {
                    throw invalid(path + "." + member, "Extra inputs are not permitted.");
                }
            }
            ObjectNode function = functions.addObject().put("type", "function").putObject("function");
            function.put("name", text(tool, "name", true, path + ".name"));
            if (present(tool.get("description"))) {
                function.put("description", text(tool, "description", true, path + ".description"));
            }
            if (!(tool.get("input_schema") instanceof ObjectNode schema)) {
                throw invalid(path + ".input_schema", "Field required: a JSON schema object.");
            }
            function.set("parameters", schema);
        }
        return functions;
    }

    private static void toolChoice(JsonNode choice, ObjectNode chat) {
        if (!present(choice)) {
            return;
        }
        if (!(choice instanceof ObjectNode object)) {
            throw invalid("tool_choice", "Input should be an object such as {\"type\": \"auto\"}.");
        }
        String type = text(object, "type", true, "tool_choice.type");
        for (String member : object.propertyNames()) {
            if (!Set.of("type", "name", "disable_parallel_tool_use").contains(member)) {
                throw invalid("tool_choice." + member, "Extra inputs are not permitted.");
            }
        }
        if (type.equals("tool")) {
            chat.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", text(object, "name", true, "tool_choice.name"));
        } else if (TOOL_CHOICES.containsKey(type)) {
            chat.put("tool_choice", TOOL_CHOICES.get(type));
        } else {
            throw invalid("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'; was '" + type + "'.");
        }
        if (bool(object, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use")) {
            chat.put("parallel_tool_calls", false);
        }
    }

    /** DeepSeek's {@code thinking.type} for Anthropic's {@code thinking}. */
    private static String thinking(JsonNode thinking) {
        if (!(thinking instanceof ObjectNode object)) {
            throw invalid("thinking", "Input should be an object such as {\"type\": \"enabled\", \"budget_tokens\": 2048}.");
        }
        String type = text(object, "type", true, "thinking.type");
        JsonNode budget = object.get("budget_tokens");
        if (present(budget) && (!budget.isIntegralNumber() || !budget.canConvertToInt() || budget.intValue() < 1)) {
            throw invalid("thinking.budget_tokens", "Input should be an integer of at least 1; was " + budget + ".");
        }
        return switch (type) {
            case "enabled", "adaptive" -> "enabled";
            case "disabled" -> "disabled";
            default -> throw invalid("thinking.type", "Input should be 'enabled', 'adaptive' or 'disabled'; was '" + type + "'.");
        };
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static boolean bool(ObjectNode object, String member, String path) {
        JsonNode value = object.get(member);
        if (!present(value)) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid(path, "Input should be a valid boolean; was " + value + ".");
        }
        return value.booleanValue();
    }

    private static String text(ObjectNode object, String member, boolean required) {
        return text(object, member, required, member);
    }

    private static String text(ObjectNode object, String member, boolean required, String path) {
        JsonNode value = object.get(member);
        if (!present(value)) {
            if (required) {
                throw invalid(path, "Field required");
            }
            return null;
        }
        if (!value.isString()) {
            throw invalid(path, "Input should be a valid string; was " + value + ".");
        }
        return value.asString();
    }

    static ApiException invalid(String path, String message) {
        return new ApiException(ApiError.INVALID_REQUEST, message, path);
    }
}
