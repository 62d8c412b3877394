package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import io.maas.pricing.PriceClass;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * One request's metered usage, with the engine's own token counts, where it was served, and its price
 * class: {@link PriceClass#BATCH} for a line of a batch (priced in the book's batch class), else online.
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
        Placement placement,
        PriceClass priceClass) {

    /**
     * Which deployment and replica served a request, and how long it waited in the gateway's queue first.
     *
     * @param deploymentId null when a static route from configuration served it
     * @param replicaId    null for a static route
     * @param catalogModel what the served name is priced as (the route's catalog model); null when the router did not
     *                     say (a request billed by the orphan sweeper, a record spooled before this was recorded)
     */
    public record Placement(UUID deploymentId, UUID replicaId, String catalogModel, long queuedMillis) {

        /** A static route, not queued: priced as the model the client named. */
        public static final Placement STATIC = new Placement(null, null, null, 0);
    }

    public UsageRecord {
        placement = placement == null ? Placement.STATIC : placement; // spooled before placements were recorded
        priceClass = priceClass == null ? PriceClass.ONLINE : priceClass; // spooled before price classes were recorded
    }

    /** An online request. */
    public UsageRecord(String requestId, UUID tenantId, UUID apiKeyId, String model, URI endpoint, boolean stream, Usage usage,
            Instant startedAt, Instant completedAt, Outcome outcome, Placement placement) {
        this(requestId, tenantId, apiKeyId, model, endpoint, stream, usage, startedAt, completedAt, outcome, placement, PriceClass.ONLINE);
    }

    /** An online request served by a static route without waiting. */
    public UsageRecord(String requestId, UUID tenantId, UUID apiKeyId, String model, URI endpoint, boolean stream, Usage usage,
            Instant startedAt, Instant completedAt, Outcome outcome) {
        this(requestId, tenantId, apiKeyId, model, endpoint, stream, usage, startedAt, completedAt, outcome, Placement.STATIC,
                PriceClass.ONLINE);
    }
}
