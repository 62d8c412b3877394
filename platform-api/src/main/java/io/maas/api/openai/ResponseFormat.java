package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * {@code response_format}: {@code text} (the default), {@code json_object} (the answer is one JSON object) or
 * {@code json_schema} (the answer is a JSON value matching {@code json_schema.schema}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {

    public static final String TEXT = "text";
    public static final String JSON_OBJECT = "json_object";
    public static final String JSON_SCHEMA = "json_schema";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JsonSchema(String name, String description, JsonNode schema, Boolean strict) {
    }
}
