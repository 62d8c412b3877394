package io.maas.engine.llamacpp;

import de.kherud.llama.LlamaModel;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatTool;
import io.maas.engine.runtime.ChatOptions;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The llama.cpp grammar (GBNF, from a JSON schema by llama.cpp's own converter) that a request's options impose, so
 * that even a model that knows nothing of JSON answers in the shape asked for:
 * <ul>
 *   <li>a function call that {@code tool_choice} requires: the answer is one JSON object
 *       {@code {"name": <a function offered>, "arguments": <matching that function's parameters>}};</li>
 *   <li>{@code response_format} {@code json_object}: any JSON object; {@code json_schema}: JSON matching the schema.</li>
 * </ul>
 * A schema llama.cpp cannot convert is the client's 400, naming where it came from.
 */
final class Grammars {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Grammars() {
    }

    /** The grammar for {@code options}; empty when the answer is free. */
    static Optional<String> of(ChatOptions options) {
        if (options.callRequired()) {
            ChatTool forced = options.forcedTool();
            List<ChatTool> callable = forced != null ? List.of(forced) : options.tools();
            ArrayNode anyOf = JSON.createArrayNode();
            callable.forEach(tool -> anyOf.add(call(tool)));
            JsonNode schema = anyOf.size() == 1 ? anyOf.get(0) : JSON.createObjectNode().set("anyOf", anyOf);
            return Optional.of(convert(schema, "tools"));
        }
        return switch (options.format().kind()) {
            case TEXT -> Optional.empty();
            case JSON_OBJECT -> Optional.of(convert(JSON.createObjectNode().put("type", "object"), "response_format"));
            case JSON_SCHEMA -> Optional.of(convert(options.format().schema(), "response_format.json_schema.schema"));
        };
    }

    /** {@code {"name": <const>, "arguments": <parameters>}}, the name first so that a reader learns it early. */
    private static JsonNode call(ChatTool tool) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("name").put("const", tool.function().name());
        JsonNode parameters = tool.function().parameters();
        properties.set("arguments", parameters != null && parameters.isObject() && !parameters.isEmpty()
                ? parameters : JSON.createObjectNode().put("type", "object"));
        schema.putArray("required").add("name").add("arguments");
        return schema;
    }

    private static String convert(JsonNode schema, String param) {
        try {
            return LlamaModel.jsonSchemaToGrammar(JSON.writeValueAsString(schema));
        } catch (RuntimeException e) { // the binding's LlamaException is not public
            throw new ApiException(ApiError.INVALID_REQUEST, "This engine cannot enforce the JSON schema in '" + param + "': "
                    + e.getMessage(), param);
        }
    }
}
