package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}; param and code may be null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorResponse(Body error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Body(String message, String type, String param, String code) {
    }
}
