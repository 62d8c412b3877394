package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * One request's metered usage, with the engine's own token counts.
 *
 * @param deploymentId the deployment that served it; null when a static route from configuration did
 * @param replicaId    the replica of that deployment; null for a static route
 */
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
        Outcome outcome,
        UUID deploymentId,
        UUID replicaId) {

    /** A request served by a static route (no deployment). */
    public UsageRecord(String requestId, UUID tenantId, UUID apiKeyId, String model, URI endpoint, boolean stream, Usage usage,
            Instant startedAt, Instant completedAt, Outcome outcome) {
        this(requestId, tenantId, apiKeyId, model, endpoint, stream, usage, startedAt, completedAt, outcome, null, null);
    }
}
