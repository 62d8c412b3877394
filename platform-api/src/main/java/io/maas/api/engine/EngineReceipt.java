package io.maas.api.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.maas.api.openai.Usage;

/**
 * {@code GET /engine/requests/{id}[?waitMs=N]} of an engine adapter: what the engine did for one
 * request (named by its {@link io.maas.api.openai.RequestId}), so that a request is billed from the
 * engine's own count when its client, its stream or its gateway went away.
 *
 * @param usage the tokens used so far while {@code RUNNING}; the final count once settled
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EngineReceipt(String id, State state, Usage usage) {

    /** The path of the receipt of {@code requestId}. */
    public static String path(String requestId) {
        return "/engine/requests/" + requestId;
    }

    /** A request's state; only {@code RUNNING} changes, once. */
    public enum State {
        @JsonProperty("running") RUNNING,
        @JsonProperty("completed") COMPLETED,
        @JsonProperty("cancelled") CANCELLED,
        @JsonProperty("failed") FAILED;

        public boolean settled() {
            return this != RUNNING;
        }
    }
}
