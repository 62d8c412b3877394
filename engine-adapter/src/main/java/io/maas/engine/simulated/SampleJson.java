package io.maas.engine.simulated;

import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON value that matches a JSON schema, for the simulated engine's function arguments and structured answers:
 * every property of an object (required or not), the first of an {@code enum} or {@code const}, the first branch of
 * {@code anyOf}/{@code oneOf}, one item of an array, a word for a string, a number in range. Schemas it does not know
 * give an empty object.
 */
final class SampleJson {

    private static final JsonNodeFactory NODES = JsonMapper.builder().build().getNodeFactory();

    private SampleJson() {
    }

    static JsonNode of(JsonNode schema, RandomGenerator random, String word) {
        if (schema == null || !schema.isObject()) {
            return NODES.objectNode();
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        for (String branches : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.path(branches).isArray() && !schema.get(branches).isEmpty()) {
                return of(schema.get(branches).get(0), random, word);
            }
        }
        JsonNode type = schema.path("type");
        String kind = type.isArray() && !type.isEmpty() ? type.get(0).asString("object") : type.asString("object");
        return switch (kind) {
            case "string" -> NODES.stringNode(word);
            case "integer" -> NODES.numberNode(random.nextInt(schema.path("minimum").asInt(0), schema.path("maximum").asInt(100) + 1));
            case "number" -> NODES.numberNode(Math.round(random.nextDouble() * 100) / 10.0);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "null" -> NODES.nullNode();
            case "array" -> {
                ArrayNode items = NODES.arrayNode();
                items.add(of(schema.get("items"), random, word));
                yield items;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").properties().forEach(property -> object.set(property.getKey(),
                        of(property.getValue(), random, word)));
                yield object;
            }
        };
    }
}
