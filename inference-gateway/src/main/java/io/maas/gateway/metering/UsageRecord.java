package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** One request's metered usage, with the engine's own token counts. */
public record UsageRecord(
        String requestId,
        UUID tenantId,
        UUID apiKeyId,
        String model,
        URI endpoint,
        boolean stream,
        Usage usage,
        Instant startedAt,
        Instant completedAt,
        Outcome outcome) {
}
