package io.maas.engine.chat;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatCompletionRequest;
import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.ChatTool;
import io.maas.api.openai.CompletionRequest;
import io.maas.api.openai.ResponseFormat;
import io.maas.engine.runtime.ChatOptions;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.runtime.Infill;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a chat (or FIM completion) request up front and turns it into the engine's portable request. Roles: system
 * (or developer, its newer name), user, assistant, tool; every message needs text content, except an assistant's
 * that calls functions, and a tool result names the call it answers.
 */
final class ChatRequests {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final int MAX_STOP = 4;

    private ChatRequests() {
    }

    static GenerationRequest toGeneration(ChatCompletionRequest body, String servedModel) {
        model(body.model(), servedModel);
        Integer limit = body.outputLimit();
        if (limit != null && limit < 1) {
            throw invalid("The output limit must be at least 1.",
                    body.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens");
        }
        if (body.streamOptions() != null && !body.isStream()) {
            throw invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        }
        sampling(body.temperature(), body.topP());
        List<ChatTool> tools = body.tools() == null ? List.of() : body.tools();
        var options = new ChatOptions(tools, toolChoice(body.toolChoice(), tools), !Boolean.FALSE.equals(body.parallelToolCalls()),
                format(body.responseFormat()), thinking(body), body.presencePenalty(), body.frequencyPenalty(),
                Boolean.TRUE.equals(body.logprobs()) ? (body.topLogprobs() == null ? 0 : body.topLogprobs()) : -1);
        return new GenerationRequest(messages(body.messages()), limit, body.temperature(), body.topP(),
                stop(body.stop()), body.seed(), List.of(), options, Infill.NONE);
    }

    /** A FIM completion: the text between {@code prompt} and {@code suffix} (none: the prompt continued). */
    static GenerationRequest toInfill(CompletionRequest body, String servedModel) {
        model(body.model(), servedModel);
        if (body.prompt() == null) {
            throw invalid("Set 'prompt' to the text before the gap to fill.", "prompt");
        }
        if (body.maxTokens() != null && body.maxTokens() < 1) {
            throw invalid("The output limit must be at least 1.", "max_tokens");
        }
        sampling(body.temperature(), body.topP());
        if (body.streamOptions() != null && !body.isStream()) {
            throw invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        }
        var options = new ChatOptions(List.of(), ChatOptions.ToolChoice.AUTO, true, ChatOptions.OutputFormat.TEXT,
                ChatOptions.Thinking.DISABLED, body.presencePenalty(), body.frequencyPenalty(), -1);
        return new GenerationRequest(List.of(), body.maxTokens(), body.temperature(), body.topP(), stop(body.stop()), body.seed(),
                List.of(), options, new Infill(body.prompt(), body.suffix() == null ? "" : body.suffix()));
    }

    private static void model(String model, String servedModel) {
        if (model == null || model.isBlank()) {
            throw invalid("Set 'model' to the model to use; this engine serves '" + servedModel + "'.", "model");
        }
        if (!model.equals(servedModel)) {
            throw new ApiException(ApiError.MODEL_NOT_FOUND,
                    "The model '" + model + "' does not exist here; this engine serves '" + servedModel + "'.", "model");
        }
    }

    private static void sampling(Double temperature, Double topP) {
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw invalid("'temperature' must be between 0 and 2.", "temperature");
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw invalid("'top_p' must be greater than 0 and at most 1.", "top_p");
        }
    }

    private static ChatOptions.ToolChoice toolChoice(JsonNode choice, List<ChatTool> tools) {
        if (choice == null || choice.isNull()) {
            return ChatOptions.ToolChoice.AUTO;
        }
        if (choice.isString()) {
            return switch (choice.stringValue()) {
                case "auto" -> ChatOptions.ToolChoice.AUTO;
                case "none" -> new ChatOptions.ToolChoice(ChatOptions.ToolChoice.Mode.NONE, null);
                case "required" -> {
                    if (tools.isEmpty()) {
                        throw invalid("'tool_choice' \"required\" needs 'tools'.", "tool_choice");
                    }
                    yield new ChatOptions.ToolChoice(ChatOptions.ToolChoice.Mode.REQUIRED, null);
                }
                default -> throw invalid("'tool_choice' must be \"none\", \"auto\", \"required\" or a named function.", "tool_choice");
            };
        }
        String name = choice.path("function").path("name").asString("");
        if (tools.stream().noneMatch(tool -> tool.function() != null && name.equals(tool.function().name()))) {
            throw invalid("'tool_choice' names the function '" + name + "', which is not among 'tools'.", "tool_choice");
        }
        return new ChatOptions.ToolChoice(ChatOptions.ToolChoice.Mode.FUNCTION, name);
    }

    private static ChatOptions.OutputFormat format(ResponseFormat format) {
        if (format == null || format.type() == null || ResponseFormat.TEXT.equals(format.type())) {
            return ChatOptions.OutputFormat.TEXT;
        }
        return switch (format.type()) {
            case ResponseFormat.JSON_OBJECT -> new ChatOptions.OutputFormat(ChatOptions.OutputFormat.Kind.JSON_OBJECT, null);
            case ResponseFormat.JSON_SCHEMA -> {
                if (format.jsonSchema() == null || format.jsonSchema().schema() == null || !format.jsonSchema().schema().isObject()) {
                    throw invalid("'response_format.json_schema.schema' must be a JSON schema object.", "response_format.json_schema.schema");
                }
                yield new ChatOptions.OutputFormat(ChatOptions.OutputFormat.Kind.JSON_SCHEMA, format.jsonSchema().schema());
            }
            default -> throw invalid("'response_format.type' must be text, json_object or json_schema.", "response_format.type");
        };
    }

    private static ChatOptions.Thinking thinking(ChatCompletionRequest body) {
        if (body.thinking() == null || body.thinking().type() == null) {
            return ChatOptions.Thinking.DEFAULT;
        }
        return switch (body.thinking().type()) {
            case io.maas.api.openai.Thinking.ENABLED -> ChatOptions.Thinking.ENABLED;
            case io.maas.api.openai.Thinking.DISABLED -> ChatOptions.Thinking.DISABLED;
            default -> throw invalid("'thinking.type' must be enabled or disabled.", "thinking.type");
        };
    }

    private static List<ChatMessage> messages(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw invalid("'messages' must contain at least one message.", "messages");
        }
        List<ChatMessage> checked = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message == null || message.role() == null || !ROLES.contains(message.role())) {
                throw invalid("messages[" + i + "].role must be one of system, developer, user, assistant, tool.",
                        "messages[" + i + "].role");
            }
            boolean calls = message.toolCalls() != null && !message.toolCalls().isEmpty();
            if (message.content() == null && !calls) {
                throw invalid("messages[" + i + "].content must be text.", "messages[" + i + "].content");
            }
            if ("tool".equals(message.role()) && message.toolCallId() == null) {
                throw invalid("messages[" + i + "] is a tool result and needs 'tool_call_id'.", "messages[" + i + "].tool_call_id");
            }
            String role = "developer".equals(message.role()) ? "system" : message.role();
            checked.add(new ChatMessage(role, message.content() == null ? "" : message.content(), null, null,
                    calls ? message.toolCalls() : null, message.toolCallId()));
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
