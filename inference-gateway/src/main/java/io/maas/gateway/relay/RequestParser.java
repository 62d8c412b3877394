package io.maas.gateway.relay;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatCompletionRequest;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.routing.PromptBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a chat request before any engine is involved: every refusal is a 400 (or 413)
 * naming the offending {@code param}, in the terms of OpenAI's API reference. The result is an
 * immutable {@link ChatRequest}; nothing downstream changes what was parsed.
 *
 * <p><b>Allow-list.</b> Only members whose cost the reservation accounts for are forwarded to an
 * engine ({@link #FORWARDED}): one answer of at most the reserved output cap for a prompt of the
 * bytes counted. {@code n} (other than 1), {@code best_of}, {@code min_tokens}, {@code ignore_eos},
 * {@code logprobs}, … multiply or stretch the work and are refused, as is any member this gateway does
 * not know. The token caps must be JSON integers: {@code "max_tokens":"100000"} is refused, never coerced.
 */
@Component
public class RequestParser {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    /** Sent to the engine as the client wrote them. */
    private static final Set<String> FORWARDED = Set.of("model", "messages", "stream", "temperature", "top_p", "stop", "seed",
            "frequency_penalty", "presence_penalty", "tools", "tool_choice", "parallel_tool_calls", "response_format", "thinking");
    /** Read by the gateway and replaced in what the engine is sent. */
    private static final Set<String> REPLACED = Set.of("max_tokens", "max_completion_tokens", "stream_options");
    /**
     * What a client may say in {@code stream_options}: {@code include_usage}, and {@code include_obfuscation}, which the
     * official OpenAI SDKs send (random padding against size side channels); neither changes what is reserved, and
     * the engine is always asked for usage.
     */
    private static final List<String> STREAM_OPTIONS = List.of("include_usage", "include_obfuscation");
    /** Accepted at the value that asks for no more work than the reservation covers, and not forwarded. */
    private static final Map<String, JsonNode> ONLY_AT = Map.of("n", IntNode.valueOf(1), "logprobs", BooleanNode.FALSE);
    /** Accepted and not forwarded: they change nothing an engine does. */
    private static final Set<String> DROPPED = Set.of("user");
    private static final List<String> PROMPT = List.of("messages", "tools");

    private final JsonMapper json;
    private final long maxBytes;

    RequestParser(JsonMapper json, GatewayProperties properties) {
        this.json = json;
        this.maxBytes = properties.maxRequestSize().toBytes();
    }

    /** Reads a chat request's body of {@code declaredLength} bytes ({@code -1}: unknown) and parses it. */
    public ChatRequest parse(InputStream in, long declaredLength) {
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
            throw invalid("The request body is empty. Send a JSON object with 'model' and 'messages'.", null);
        }
        JsonNode tree;
        try {
            tree = json.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid("The request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        return parse(tree);
    }

    /**
     * Parses a chat request already read as JSON (an API that translates its requests into OpenAI's, a batch's
     * line); refusals name the member at fault in OpenAI's terms.
     */
    public ChatRequest parse(JsonNode tree) {
        if (!(tree instanceof ObjectNode body)) {
            throw invalid("The request body must be a JSON object with 'model' and 'messages'.", null);
        }
        allowListed(body);
        OptionalLong outputTokens = outputTokens(body);
        ChatCompletionRequest request;
        try {
            request = json.treeToValue(body, ChatCompletionRequest.class);
        } catch (DatabindException e) {
            String param = e.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            throw invalid("Invalid value for '" + param + "': " + e.getOriginalMessage(), param);
        }
        validate(request);
        ObjectNode forwarded = json.createObjectNode();
        body.properties().forEach(member -> {
            if (FORWARDED.contains(member.getKey())) {
                forwarded.set(member.getKey(), member.getValue());
            }
        });
        long promptBytes = 0;
        for (String field : PROMPT) {
            JsonNode value = body.get(field);
            if (value != null) {
                promptBytes += json.writeValueAsBytes(value).length;
            }
        }
        return new ChatRequest(ChatRequest.Api.CHAT_COMPLETIONS, request.model(), request.isStream(), request.includeUsage(), outputTokens, promptBytes, forwarded,
                PromptBlocks.of(request.messages()));
    }

    /** Refuses every member outside the allow-list, naming it. */
    private static void allowListed(ObjectNode body) {
        for (var member : body.properties()) {
            String name = member.getKey();
            JsonNode only = ONLY_AT.get(name);
            if (only != null && !member.getValue().isNull() && !only.equals(member.getValue())) {
                throw invalid("'" + name + "' may only be " + only + " here: the gateway runs and bills one answer per request.", name);
            }
            if (only == null && !FORWARDED.contains(name) && !REPLACED.contains(name) && !DROPPED.contains(name)) {
                throw invalid("Unrecognized request argument supplied: " + name + ". This gateway accepts " + accepted() + ".", name);
            }
        }
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!(options instanceof ObjectNode object)) {
                throw invalid("'stream_options' must be an object such as {\"include_usage\": true}.", "stream_options");
            }
            for (String name : object.propertyNames()) {
                if (!STREAM_OPTIONS.contains(name)) {
                    throw invalid("Unrecognized request argument supplied: stream_options." + name + ". Only "
                            + String.join(" and ", STREAM_OPTIONS) + " are accepted.", "stream_options." + name);
                }
                if (!object.get(name).isBoolean()) {
                    throw invalid("'stream_options." + name + "' must be true or false.", "stream_options." + name);
                }
            }
        }
    }

    private static String accepted() {
        var names = new TreeSet<>(FORWARDED);
        names.addAll(REPLACED);
        names.addAll(ONLY_AT.keySet());
        names.addAll(DROPPED);
        return String.join(", ", names);
    }

    /**
     * The output cap the client asked for: {@code max_completion_tokens} or {@code max_tokens}, the larger
     * when both are set (an engine may honour either); each must be a JSON integer of at least 1.
     */
    private static OptionalLong outputTokens(ObjectNode body) {
        long cap = -1;
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
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

    private static void validate(ChatCompletionRequest request) {
        if (request.model() == null || request.model().isBlank()) {
            throw invalid("You must provide a model parameter.", "model");
        }
        if (request.messages() == null || request.messages().isEmpty()) {
            throw invalid("'messages' must be a non-empty array of {role, content} objects.", "messages");
        }
        for (int i = 0; i < request.messages().size(); i++) {
            var message = request.messages().get(i);
            if (message == null || message.role() == null || !ROLES.contains(message.role())) {
                throw invalid("messages[" + i + "].role must be one of " + ROLES + ".", "messages[" + i + "].role");
            }
        }
        if (request.temperature() != null && (request.temperature() < 0 || request.temperature() > 2)) {
            throw invalid("temperature must be between 0 and 2.", "temperature");
        }
        if (request.topP() != null && (request.topP() <= 0 || request.topP() > 1)) {
            throw invalid("top_p must be greater than 0 and at most 1.", "top_p");
        }
        if (request.stop() != null && request.stop().size() > 16) {
            throw invalid("stop may hold at most 16 sequences.", "stop");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ApiError.REQUEST_TOO_LARGE,
                "The request body exceeds " + maxBytes + " bytes. Shorten the conversation.", null);
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.INVALID_REQUEST, message, param);
    }
}
