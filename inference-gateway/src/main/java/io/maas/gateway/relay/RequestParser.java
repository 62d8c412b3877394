package io.maas.gateway.relay;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ChatCompletionRequest;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.error.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a chat request before any engine is involved: every refusal is a 400 (or 413)
 * naming the offending {@code param}, in the terms of OpenAI's API reference.
 */
@Component
class RequestParser {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final JsonMapper json;
    private final long maxBytes;

    RequestParser(JsonMapper json, GatewayProperties properties) {
        this.json = json;
        this.maxBytes = properties.maxRequestSize().toBytes();
    }

    ParsedRequest parse(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
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
        if (!(tree instanceof ObjectNode body)) {
            throw invalid("The request body must be a JSON object with 'model' and 'messages'.", null);
        }
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
        return new ParsedRequest(request, body);
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
        positive(request.maxTokens(), "max_tokens");
        positive(request.maxCompletionTokens(), "max_completion_tokens");
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

    private static void positive(Integer value, String param) {
        if (value != null && value < 1) {
            throw invalid(param + " must be at least 1.", param);
        }
    }

    private GatewayException tooLarge() {
        return new GatewayException(ApiError.REQUEST_TOO_LARGE,
                "The request body exceeds " + maxBytes + " bytes. Shorten the conversation.", null);
    }

    private static GatewayException invalid(String message, String param) {
        return new GatewayException(ApiError.INVALID_REQUEST, message, param);
    }
}
