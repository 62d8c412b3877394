package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code POST /v1/completions}, and (with the same {@code object}) each chunk of its stream: a chunk's
 * {@code text} is the piece generated since the last one, the usage chunk has empty {@code choices}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TextCompletion(
        String id,
        String object,
        long created,
        String model,
        List<Choice> choices,
        Usage usage) {

    public static final String OBJECT = "text_completion";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(int index, String text, @JsonProperty("finish_reason") String finishReason) {
    }
}
