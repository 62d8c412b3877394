package io.maas.engine.runtime;

/** Why a generation ended; {@link #wireName()} is OpenAI's {@code finish_reason}. */
public enum FinishReason {
    /** An end-of-turn token or a stop string. */
    STOP("stop"),
    /** The output limit was reached. */
    LENGTH("length"),
    /** The model called one or more functions. */
    TOOL_CALLS("tool_calls"),
    /** The caller went away; never sent to a client, only recorded. */
    CANCELLED("cancelled");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
