package io.maas.engine.chat;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatCompletionRequest;
import io.maas.api.openai.ChatMessage;
import io.maas.engine.runtime.GenerationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a chat request up front and turns it into the engine's portable request. Roles: system
 * (or developer, its newer name), user, assistant; every message needs text content.
 */
final class ChatRequests {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");
    private static final int MAX_STOP = 4;

    private ChatRequests() {
    }

    static GenerationRequest toGeneration(ChatCompletionRequest body, String servedModel) {
        if (body.model() == null || body.model().isBlank()) {
            throw invalid("Set 'model' to the model to use; this engine serves '" + servedModel + "'.", "model");
        }
        if (!body.model().equals(servedModel)) {
            throw new ApiException(ApiError.MODEL_NOT_FOUND,
                    "The model '" + body.model() + "' does not exist here; this engine serves '" + servedModel + "'.",
                    "model");
        }
        Integer limit = body.outputLimit();
        if (limit != null && limit < 1) {
            throw invalid("The output limit must be at least 1.",
                    body.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens");
        }
        if (body.temperature() != null && !(body.temperature() >= 0 && body.temperature() <= 2)) {
            throw invalid("'temperature' must be between 0 and 2.", "temperature");
        }
        if (body.topP() != null && !(body.topP() > 0 && body.topP() <= 1)) {
            throw invalid("'top_p' must be greater than 0 and at most 1.", "top_p");
        }
        if (body.streamOptions() != null && !body.isStream()) {
            throw invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        }
        return new GenerationRequest(messages(body.messages()), limit, body.temperature(), body.topP(),
                stop(body.stop()), body.seed(), List.of());
    }

    private static List<ChatMessage> messages(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw invalid("'messages' must contain at least one message.", "messages");
        }
        List<ChatMessage> checked = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message == null || message.role() == null || !ROLES.contains(message.role())) {
                throw invalid("messages[" + i + "].role must be one of system, developer, user, assistant.",
                        "messages[" + i + "].role");
            }
            if (message.content() == null) {
                throw invalid("messages[" + i + "].content must be text.", "messages[" + i + "].content");
            }
            String role = "developer".equals(message.role()) ? "system" : message.role();
            checked.add(ChatMessage.of(role, message.content()));
        }
        return checked;
    }

    private static List<String> stop(List<String> stop) {
        if (stop == null) {
            return List.of();
        }
        if (stop.size() > MAX_STOP || stop.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw invalid("'stop' takes up to " + MAX_STOP + " non-empty strings.", "stop");
        }
        return stop;
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.INVALID_REQUEST, message, param);
    }
}
