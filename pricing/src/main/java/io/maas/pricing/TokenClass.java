package io.maas.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The three kinds of token a request is billed for, each with its own price per million tokens. */
public enum TokenClass {
    /** Prompt tokens served from the engine's prefix cache. */
    @JsonProperty("input-cache-hit")
    INPUT_CACHE_HIT,
    /** Prompt tokens the engine had to compute. */
    @JsonProperty("input-cache-miss")
    INPUT_CACHE_MISS,
    /** Completion tokens, reasoning tokens included. */
    @JsonProperty("output")
    OUTPUT
}
