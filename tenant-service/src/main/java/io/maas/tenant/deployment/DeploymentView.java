package io.maas.tenant.deployment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A deployment as the API shows it: the desired state, where it is, and its live replicas.
 *
 * @param fit      the fit report it was planned with, and {@code choice}: what one-click chose and why
 * @param replicas desired and ready counts
 */
public record DeploymentView(
        UUID id,
        String name,
        UUID tenantId,
        String model,
        String servedModelName,
        String target,
        String runtime,
        Accelerator accelerator,
        String precision,
        int contextLength,
        Replicas replicas,
        DeploymentRequest.Money costPerAcceleratorHour,
        DeploymentState state,
        String stateReason,
        JsonNode fit,
        long generation,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        List<ReplicaView> replicaList) {

    public record Accelerator(String vendor, String type, int countPerReplica, int nodesPerReplica) {
    }

    public record Replicas(int desired, int ready) {
    }

    /**
     * One replica incarnation.
     *
     * @param state    PENDING, STARTING, READY, DRAINING, FAILED or STOPPED
     * @param endpoint the base URL gateways call; null until known
     * @param message  the latest progress (a model loading) or error
     */
    public record ReplicaView(UUID id, int ordinal, String state, String endpoint, String handle, int accelerators, int restarts,
            String message, Instant startedAt, Instant readyAt, Instant stoppedAt) {
    }

    /** One event, as {@code kubectl describe} lists them. */
    public record EventView(long id, Instant time, String type, String reason, String message, UUID replicaId) {
    }
}
