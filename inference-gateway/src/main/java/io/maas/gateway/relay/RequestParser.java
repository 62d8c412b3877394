package io.maas.gateway.relay;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatMessage;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.routing.PromptBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a chat request ({@code POST /v1/chat/completions}) or a FIM completion request
 * ({@code POST /v1/completions}) before any engine is involved: every refusal is a 400 (or 413) naming the
 * offending {@code param}, in the terms of OpenAI's API reference. The result is an immutable {@link ChatRequest};
 * nothing downstream changes what was parsed.
 *
 * <p><b>One JSON type per member.</b> Each member the gateway accepts has exactly one JSON type (or, where OpenAI's
 * reference gives two, those two: {@code stop} a string or an array of strings, {@code tool_choice} a string or an
 * object); any other is refused, never coerced: {@code "max_tokens":"100000"} and {@code "temperature":"0.5"} are
 * 400s. JSON {@code null} is the member's absence.
 *
 * <p><b>Allow-list.</b> Only members whose cost the reservation accounts for are forwarded to an engine: one answer
 * of at most the reserved output cap for a prompt of the bytes counted ({@code messages} and {@code tools}).
 * {@code n} other than 1 is refused (the gateway runs and bills one answer per request), as are {@code best_of},
 * {@code min_tokens}, {@code ignore_eos}, … and any member this gateway does not know. An engine that cannot honour a
 * forwarded member (the CPU engine and {@code logprobs}) refuses it with a 400 naming it, which the client gets as is.
 */
@Component
public class RequestParser {

    /** The JSON types a member may have. */
    private enum Type {
        STRING("a string"), BOOLEAN("true or false"), INTEGER("an integer (a JSON number without quotes or fraction)"),
        NUMBER("a number"), OBJECT("an object"), ARRAY("an array"), STRING_OR_ARRAY("a string or an array of strings"),
        STRING_OR_OBJECT("a string or an object");

        private final String described;

        Type(String described) {
            this.described = described;
        }

        boolean matches(JsonNode value) {
            return switch (this) {
                case STRING -> value.isString();
                case BOOLEAN -> value.isBoolean();
                case INTEGER -> value.isIntegralNumber();
                case NUMBER -> value.isNumber();
                case OBJECT -> value.isObject();
                case ARRAY -> value.isArray();
                case STRING_OR_ARRAY -> value.isString() || value.isArray();
                case STRING_OR_OBJECT -> value.isString() || value.isObject();
            };
        }
    }

    /** The members of a chat request, their types, and whether they are sent to the engine as the client wrote them. */
    private static final Map<String, Type> CHAT = new LinkedHashMap<>();
    /** The members of a FIM completion request. */
    private static final Map<String, Type> COMPLETION = new LinkedHashMap<>();
    /** Read by the gateway and not forwarded as written: the output caps, {@code stream_options}, {@code n}, {@code user}. */
    private static final Set<String> NOT_FORWARDED = Set.of("max_tokens", "max_completion_tokens", "stream_options", "n", "user",
            "echo");

    static {
        CHAT.put("model", Type.STRING);
        CHAT.put("messages", Type.ARRAY);
        CHAT.put("stream", Type.BOOLEAN);
        CHAT.put("stream_options", Type.OBJECT);
        CHAT.put("max_tokens", Type.INTEGER);
        CHAT.put("max_completion_tokens", Type.INTEGER);
        CHAT.put("n", Type.INTEGER);
        CHAT.put("temperature", Type.NUMBER);
        CHAT.put("top_p", Type.NUMBER);
        CHAT.put("presence_penalty", Type.NUMBER);
        CHAT.put("frequency_penalty", Type.NUMBER);
        CHAT.put("stop", Type.STRING_OR_ARRAY);
        CHAT.put("seed", Type.INTEGER);
        CHAT.put("user", Type.STRING);
        CHAT.put("logprobs", Type.BOOLEAN);
        CHAT.put("top_logprobs", Type.INTEGER);
        CHAT.put("tools", Type.ARRAY);
        CHAT.put("tool_choice", Type.STRING_OR_OBJECT);
        CHAT.put("parallel_tool_calls", Type.BOOLEAN);
        CHAT.put("response_format", Type.OBJECT);
        CHAT.put("thinking", Type.OBJECT);
        COMPLETION.put("model", Type.STRING);
        COMPLETION.put("prompt", Type.STRING);
        COMPLETION.put("suffix", Type.STRING);
        COMPLETION.put("stream", Type.BOOLEAN);
        COMPLETION.put("stream_options", Type.OBJECT);
        COMPLETION.put("max_tokens", Type.INTEGER);
        COMPLETION.put("n", Type.INTEGER);
        COMPLETION.put("echo", Type.BOOLEAN);
        COMPLETION.put("temperature", Type.NUMBER);
        COMPLETION.put("top_p", Type.NUMBER);
        COMPLETION.put("presence_penalty", Type.NUMBER);
        COMPLETION.put("frequency_penalty", Type.NUMBER);
        COMPLETION.put("stop", Type.STRING_OR_ARRAY);
        COMPLETION.put("seed", Type.INTEGER);
        COMPLETION.put("user", Type.STRING);
    }

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    /** The members of a message; {@code reasoning_content} is DeepSeek's, which its clients send back in a conversation. */
    private static final Map<String, Type> MESSAGE = Map.of("role", Type.STRING, "content", Type.STRING, "name", Type.STRING,
            "tool_calls", Type.ARRAY, "tool_call_id", Type.STRING, "reasoning_content", Type.STRING);
    /**
     * What a client may say in {@code stream_options}: {@code include_usage}, and {@code include_obfuscation}, which the
     * official OpenAI SDKs send (random padding against size side channels); neither changes what is reserved, and
     * the engine is always asked for usage.
     */
    private static final List<String> STREAM_OPTIONS = List.of("include_usage", "include_obfuscation");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final int MAX_TOOLS = 128;
    private static final int MAX_STOP = 16;
    private static final int MAX_TOP_LOGPROBS = 20;

    private final JsonMapper json;
    private final long maxBytes;

    RequestParser(JsonMapper json, GatewayProperties properties) {
        this.json = json;
        this.maxBytes = properties.maxRequestSize().toBytes();
    }

    /** Reads a chat request's body of {@code declaredLength} bytes ({@code -1}: unknown) and parses it. */
    public ChatRequest parse(InputStream in, long declaredLength) {
        return parse(read(in, declaredLength));
    }

    /**
     * Reads a request body of {@code declaredLength} bytes ({@code -1}: unknown) as JSON, within the gateway's request
     * size (413 past it), for an API that translates its requests into OpenAI's before {@link #parse(JsonNode)}.
     */
    public JsonNode readJson(InputStream in, long declaredLength) {
        return parseJson(read(in, declaredLength));
    }

    /** Reads a FIM completion request's body of {@code declaredLength} bytes ({@code -1}: unknown) and parses it. */
    public ChatRequest parseCompletion(InputStream in, long declaredLength) {
        return parseCompletion(read(in, declaredLength));
    }

    /**
     * Parses a chat request already read as JSON (an API that translates its requests into OpenAI's, a batch's
     * line); refusals name the member at fault in OpenAI's terms.
     */
    public ChatRequest parse(JsonNode tree) {
        ObjectNode body = object(tree, "'model' and 'messages'");
        typed(body, CHAT);
        String model = model(body);
        List<ChatMessage> messages = messages(body.get("messages"));
        OptionalLong outputTokens = outputTokens(body);
        boolean stream = streamOptions(body);
        oneAnswer(body);
        sampling(body);
        JsonNode logprobs = member(body, "logprobs");
        JsonNode top = member(body, "top_logprobs");
        if (top != null && (top.intValue() < 0 || top.intValue() > MAX_TOP_LOGPROBS || !top.canConvertToInt())) {
            throw invalid("'top_logprobs' must be an integer from 0 to " + MAX_TOP_LOGPROBS + ".", "top_logprobs");
        }
        if (top != null && (logprobs == null || !logprobs.booleanValue())) {
            throw invalid("'top_logprobs' needs 'logprobs': true.", "top_logprobs");
        }
        Set<String> functions = tools(member(body, "tools"));
        toolChoice(member(body, "tool_choice"), functions);
        responseFormat(member(body, "response_format"));
        thinking(member(body, "thinking"));
        long promptBytes = bytes(body.get("messages")) + bytes(body.get("tools"));
        return new ChatRequest(ChatRequest.Api.CHAT_COMPLETIONS, model, stream, includeUsage(body), outputTokens, promptBytes,
                forwarded(body), PromptBlocks.of(messages));
    }

    /**
     * Parses a FIM completion request ({@code prompt}, the text before the gap, and {@code suffix}, the text after it).
     * {@code echo} and {@code logprobs} are not offered: {@code echo} may only be false.
     */
    public ChatRequest parseCompletion(JsonNode tree) {
        ObjectNode body = object(tree, "'model' and 'prompt'");
        typed(body, COMPLETION);
        String model = model(body);
        JsonNode prompt = member(body, "prompt");
        if (prompt == null) {
            throw invalid("You must provide 'prompt', the text before the gap to fill.", "prompt");
        }
        JsonNode echo = member(body, "echo");
        if (echo != null && echo.booleanValue()) {
            throw invalid("'echo' may only be false here: the answer holds the generated text only.", "echo");
        }
        OptionalLong outputTokens = outputTokens(body);
        boolean stream = streamOptions(body);
        oneAnswer(body);
        sampling(body);
        JsonNode suffix = member(body, "suffix");
        String text = prompt.stringValue() + (suffix == null ? "" : suffix.stringValue());
        long promptBytes = bytes(prompt) + bytes(suffix);
        return new ChatRequest(ChatRequest.Api.COMPLETIONS, model, stream, includeUsage(body), outputTokens, promptBytes,
                forwarded(body), PromptBlocks.of(List.of(ChatMessage.of("user", text))));
    }

    private byte[] read(InputStream in, long declaredLength) {
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) { // the client went away or stalled past the connector's timeout mid-upload
            throw invalid("The request body could not be read to its end (" + e.getClass().getSimpleName()
                    + "). Send the whole body at once.", null);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw invalid("The request body is empty. Send a JSON object.", null);
        }
        return bytes;
    }

    private JsonNode parseJson(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid("The request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    private ChatRequest parse(byte[] bytes) {
        return parse(parseJson(bytes));
    }

    private ChatRequest parseCompletion(byte[] bytes) {
        return parseCompletion(parseJson(bytes));
    }

    private static ObjectNode object(JsonNode tree, String members) {
        if (!(tree instanceof ObjectNode body)) {
            throw invalid("The request body must be a JSON object with " + members + ".", null);
        }
        return body;
    }

    /** Refuses every member outside {@code members}, and every member of the wrong JSON type, naming it. */
    private static void typed(ObjectNode body, Map<String, Type> members) {
        for (var member : body.properties()) {
            String name = member.getKey();
            Type type = members.get(name);
            if (type == null) {
                throw invalid("Unrecognized request argument supplied: " + name + ". This endpoint accepts "
                        + String.join(", ", new TreeSet<>(members.keySet())) + ".", name);
            }
            check(member.getValue(), type, name);
        }
    }

    /** Refuses {@code value} unless it is null or of {@code type}. */
    private static void check(JsonNode value, Type type, String param) {
        if (value != null && !value.isNull() && !type.matches(value)) {
            throw invalid("'" + param + "' must be " + type.described + "; was " + abbreviated(value) + ".", param);
        }
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** The member, or null when absent or JSON null. */
    private static JsonNode member(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static String model(ObjectNode body) {
        JsonNode model = member(body, "model");
        if (model == null || model.stringValue().isBlank()) {
            throw invalid("You must provide a model parameter.", "model");
        }
        return model.stringValue();
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || messages.isNull() || messages.isEmpty()) {
            throw invalid("'messages' must be a non-empty array of {role, content} objects.", "messages");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw invalid(at + " must be an object with 'role' and 'content'.", at);
            }
            for (var member : message.properties()) {
                Type type = MESSAGE.get(member.getKey());
                if (type == null) {
                    throw invalid("Unrecognized member " + at + "." + member.getKey() + ". A message has " + MESSAGE.keySet() + ".",
                            at + "." + member.getKey());
                }
                check(member.getValue(), type, at + "." + member.getKey());
            }
            JsonNode role = member(message, "role");
            if (role == null || !ROLES.contains(role.stringValue())) {
                throw invalid(at + ".role must be one of " + ROLES + ".", at + ".role");
            }
            JsonNode toolCalls = member(message, "tool_calls");
            if (toolCalls != null && !"assistant".equals(role.stringValue())) {
                throw invalid(at + ".tool_calls is only for assistant messages.", at + ".tool_calls");
            }
            if (toolCalls != null) {
                toolCalls(toolCalls, at + ".tool_calls");
            }
            JsonNode content = member(message, "content");
            if (content == null && toolCalls == null) {
                throw invalid(at + ".content must be a string" + ("assistant".equals(role.stringValue())
                        ? " (or null when the message has tool_calls)." : "."), at + ".content");
            }
            JsonNode toolCallId = member(message, "tool_call_id");
            if ("tool".equals(role.stringValue()) && toolCallId == null) {
                throw invalid(at + " is a tool result and needs 'tool_call_id', the id of the call it answers.", at + ".tool_call_id");
            }
            parsed.add(ChatMessage.of(role.stringValue(), content == null ? "" : content.stringValue()));
        }
        return parsed;
    }

    private static void toolCalls(JsonNode calls, String at) {
        for (int i = 0; i < calls.size(); i++) {
            String call = at + "[" + i + "]";
            JsonNode value = calls.get(i);
            check(value, Type.OBJECT, call);
            check(member(value, "id"), Type.STRING, call + ".id");
            JsonNode type = member(value, "type");
            if (type != null && !"function".equals(type.asString())) {
                throw invalid(call + ".type must be \"function\".", call + ".type");
            }
            JsonNode function = member(value, "function");
            if (function == null || !function.isObject()) {
                throw invalid(call + ".function must be an object with 'name' and 'arguments'.", call + ".function");
            }
            JsonNode name = member(function, "name");
            if (name == null || !name.isString()) {
                throw invalid(call + ".function.name must be a string.", call + ".function.name");
            }
            check(member(function, "arguments"), Type.STRING, call + ".function.arguments");
        }
    }

    /**
     * The output cap the client asked for: {@code max_completion_tokens} or {@code max_tokens}, the larger
     * when both are set (an engine may honour either); each must be a JSON integer of at least 1.
     */
    private static OptionalLong outputTokens(ObjectNode body) {
        long cap = -1;
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode value = member(body, field);
            if (value == null) {
                continue;
            }
            if (!value.canConvertToInt()) {
                throw invalid("'" + field + "' must be an integer (a JSON number without quotes or fraction) of at least 1;"
                        + " was " + value + ".", field);
            }
            if (value.intValue() < 1) {
                throw invalid(field + " must be at least 1.", field);
            }
            cap = Math.max(cap, value.intValue());
        }
        return cap < 0 ? OptionalLong.empty() : OptionalLong.of(cap);
    }

    /** Checks {@code stream_options}; returns whether the answer is streamed. */
    private static boolean streamOptions(ObjectNode body) {
        JsonNode options = member(body, "stream_options");
        if (options != null) {
            for (var option : options.properties()) {
                String name = option.getKey();
                if (!STREAM_OPTIONS.contains(name)) {
                    throw invalid("Unrecognized request argument supplied: stream_options." + name + ". Only "
                            + String.join(" and ", STREAM_OPTIONS) + " are accepted.", "stream_options." + name);
                }
                if (!option.getValue().isBoolean()) {
                    throw invalid("'stream_options." + name + "' must be true or false.", "stream_options." + name);
                }
            }
        }
        JsonNode stream = member(body, "stream");
        return stream != null && stream.booleanValue();
    }

    private static boolean includeUsage(ObjectNode body) {
        JsonNode options = member(body, "stream_options");
        return options != null && options.path("include_usage").asBoolean(false);
    }

    /** {@code n} may only be 1: the gateway runs, reserves and bills one answer per request. */
    private static void oneAnswer(ObjectNode body) {
        JsonNode n = member(body, "n");
        if (n != null && !(n.canConvertToInt() && n.intValue() == 1)) {
            throw invalid("'n' may only be 1 here: the gateway runs and bills one answer per request;"
                    + " send several requests for several answers.", "n");
        }
    }

    private static void sampling(ObjectNode body) {
        range(body, "temperature", 0, 2, true);
        JsonNode topP = member(body, "top_p");
        if (topP != null && (topP.doubleValue() <= 0 || topP.doubleValue() > 1)) {
            throw invalid("top_p must be greater than 0 and at most 1.", "top_p");
        }
        range(body, "presence_penalty", -2, 2, false);
        range(body, "frequency_penalty", -2, 2, false);
        JsonNode stop = member(body, "stop");
        if (stop != null && stop.isArray()) {
            if (stop.size() > MAX_STOP) {
                throw invalid("stop may hold at most " + MAX_STOP + " sequences.", "stop");
            }
            for (int i = 0; i < stop.size(); i++) {
                check(stop.get(i), Type.STRING, "stop[" + i + "]");
                if (stop.get(i).isNull()) {
                    throw invalid("stop[" + i + "] must be a string.", "stop[" + i + "]");
                }
            }
        }
        JsonNode seed = member(body, "seed");
        if (seed != null && !seed.canConvertToLong()) {
            throw invalid("'seed' must be a 64-bit integer.", "seed");
        }
    }

    private static void range(ObjectNode body, String field, double min, double max, boolean sampling) {
        JsonNode value = member(body, field);
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            throw invalid(field + " must be between " + (int) min + " and " + (int) max + (sampling ? "." : " inclusive."), field);
        }
    }

    /** Checks {@code tools}; returns the names of the functions declared. */
    private static Set<String> tools(JsonNode tools) {
        Set<String> names = new HashSet<>();
        if (tools == null || tools.isNull()) {
            return names;
        }
        if (tools.size() > MAX_TOOLS) {
            throw invalid("'tools' may hold at most " + MAX_TOOLS + " functions.", "tools");
        }
        for (int i = 0; i < tools.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            check(tool, Type.OBJECT, at);
            JsonNode type = member(tool, "type");
            if (type == null || !"function".equals(type.asString())) {
                throw invalid(at + ".type must be \"function\".", at + ".type");
            }
            JsonNode function = member(tool, "function");
            if (function == null || !function.isObject()) {
                throw invalid(at + ".function must be an object with 'name' and 'parameters'.", at + ".function");
            }
            JsonNode name = member(function, "name");
            if (name == null || !name.isString() || !FUNCTION_NAME.matcher(name.stringValue()).matches()) {
                throw invalid(at + ".function.name must be 1 to 64 letters, digits, '_' or '-'.", at + ".function.name");
            }
            if (!names.add(name.stringValue())) {
                throw invalid("Two tools are named '" + name.stringValue() + "'.", at + ".function.name");
            }
            check(member(function, "description"), Type.STRING, at + ".function.description");
            check(member(function, "parameters"), Type.OBJECT, at + ".function.parameters");
            check(member(function, "strict"), Type.BOOLEAN, at + ".function.strict");
        }
        return names;
    }

    private static void toolChoice(JsonNode choice, Set<String> functions) {
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isString()) {
            String value = choice.stringValue();
            if (!List.of("none", "auto", "required").contains(value)) {
                throw invalid("'tool_choice' must be \"none\", \"auto\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}.",
                        "tool_choice");
            }
            if ("required".equals(value) && functions.isEmpty()) {
                throw invalid("'tool_choice' \"required\" needs 'tools'.", "tool_choice");
            }
            return;
        }
        JsonNode name = choice.path("function").path("name");
        if (!"function".equals(choice.path("type").asString("")) || !name.isString()) {
            throw invalid("'tool_choice' as an object must be {\"type\":\"function\",\"function\":{\"name\":…}}.", "tool_choice");
        }
        if (!functions.contains(name.stringValue())) {
            throw invalid("'tool_choice' names the function '" + name.stringValue() + "', which is not among 'tools'.", "tool_choice");
        }
    }

    private static void responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return;
        }
        String type = format.path("type").asString("");
        switch (type) {
            case "text", "json_object" -> { }
            case "json_schema" -> {
                JsonNode schema = format.get("json_schema");
                if (schema == null || !schema.isObject()) {
                    throw invalid("'response_format.json_schema' must be an object with 'name' and 'schema'.", "response_format.json_schema");
                }
                JsonNode name = member(schema, "name");
                if (name == null || !name.isString() || !FUNCTION_NAME.matcher(name.stringValue()).matches()) {
                    throw invalid("'response_format.json_schema.name' must be 1 to 64 letters, digits, '_' or '-'.",
                            "response_format.json_schema.name");
                }
                if (member(schema, "schema") == null || !schema.get("schema").isObject()) {
                    throw invalid("'response_format.json_schema.schema' must be a JSON schema object.", "response_format.json_schema.schema");
                }
                check(member(schema, "strict"), Type.BOOLEAN, "response_format.json_schema.strict");
                check(member(schema, "description"), Type.STRING, "response_format.json_schema.description");
            }
            default -> throw invalid("'response_format.type' must be \"text\", \"json_object\" or \"json_schema\".", "response_format.type");
        }
    }

    private static void thinking(JsonNode thinking) {
        if (thinking == null || thinking.isNull()) {
            return;
        }
        String type = thinking.path("type").asString("");
        if (!List.of("enabled", "disabled").contains(type)) {
            throw invalid("'thinking.type' must be \"enabled\" or \"disabled\".", "thinking.type");
        }
    }

    /** The members sent to the engine as written: all but those the gateway replaces or drops, and nulls. */
    private static ObjectNode forwarded(ObjectNode body) {
        ObjectNode forwarded = body.objectNode();
        body.properties().forEach(member -> {
            if (!NOT_FORWARDED.contains(member.getKey()) && !member.getValue().isNull()) {
                forwarded.set(member.getKey(), member.getValue());
            }
        });
        return forwarded;
    }

    private long bytes(JsonNode value) {
        return value == null || value.isNull() ? 0 : json.writeValueAsBytes(value).length;
    }

    private ApiException tooLarge() {
        return new ApiException(ApiError.REQUEST_TOO_LARGE,
                "The request body exceeds " + maxBytes + " bytes. Shorten the conversation.", null);
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.INVALID_REQUEST, message, param);
    }
}
