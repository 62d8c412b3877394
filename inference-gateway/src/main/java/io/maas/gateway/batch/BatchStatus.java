package io.maas.gateway.batch;

import java.util.Locale;

/** OpenAI's batch statuses, stored and shown by their lower-case names. */
enum BatchStatus {
    VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BatchStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Whether the batch will not change any more. */
    boolean terminal() {
        return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
    }
}
