package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * DeepSeek's {@code thinking}: {@code {"type":"enabled"}} or {@code {"type":"disabled"}} switches a model that has both
 * modes into or out of its chain of thought ({@code reasoning_content}); absent, the model's default holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Thinking(String type) {

    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";

    public boolean enabled() {
        return ENABLED.equals(type);
    }
}
