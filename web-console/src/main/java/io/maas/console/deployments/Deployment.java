package io.maas.console.deployments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A deployment as tenant-service's {@code /api/v1/deployments} shows it; also what the fleet page
 * groups engines by.
 *
 * @param fit the fit report it was planned with ({@code report}) and one-click's {@code choice}
 */
public record Deployment(UUID id, String name, UUID tenantId, String model, String servedModelName, String target, String runtime,
                         Accelerator accelerator, String precision, int contextLength, Replicas replicas, Money costPerAcceleratorHour,
                         String state, String stateReason, JsonNode fit, Instant createdAt, Instant updatedAt, List<Replica> replicaList) {

    public record Accelerator(String vendor, String type, int countPerReplica, int nodesPerReplica) {

        /** "8 × h200", "cpu". */
        public String describe() {
            return type == null ? vendor : countPerReplica + " × " + type;
        }
    }

    public record Replicas(int desired, int ready) {
    }

    public record Money(BigDecimal amount, String currency) {
    }

    public record Replica(UUID id, int ordinal, String state, String endpoint, String handle, int accelerators, int restarts, String message,
                          Instant startedAt, Instant readyAt, Instant stoppedAt) {
    }

    public record Event(long id, Instant time, String type, String reason, String message, UUID replicaId) {
    }

    /** The states it passes on its way up, in order: {@link #progress()} counts them. */
    private static final List<String> WAY_UP = List.of("PENDING", "PROVISIONING", "STARTING", "READY");

    /** Whether it is on its way somewhere (up, or down), so a page showing it refreshes itself. */
    public boolean moving() {
        return switch (state) {
            case "PENDING", "PROVISIONING", "STARTING", "DELETING" -> true;
            case "READY" -> replicas.ready() != replicas.desired();
            default -> false;
        };
    }

    /**
     * How far along it is, 0–1: the steps of its way up done, and within STARTING the share of its
     * replicas ready; 1 when READY, 0 for the states off that way.
     */
    public double progress() {
        int step = WAY_UP.indexOf(state);
        if (step < 0) {
            return state.equals("DEGRADED") && replicas.desired() > 0 ? (double) replicas.ready() / replicas.desired() : 0;
        }
        double within = state.equals("STARTING") && replicas.desired() > 0 ? (double) replicas.ready() / replicas.desired() : 0;
        return Math.min(1.0, (step + within) / (WAY_UP.size() - 1));
    }

    /** The latest thing a replica said (a model loading, an error); null when none. */
    public String latestReplicaMessage() {
        return replicaList == null ? null : replicaList.stream().filter(r -> r.message() != null && !r.message().isBlank())
                .map(Replica::message).reduce((a, b) -> b).orElse(null);
    }
}
