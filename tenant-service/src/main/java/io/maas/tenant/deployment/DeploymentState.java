package io.maas.tenant.deployment;

/**
 * Where a deployment is, as the reconciler last saw it.
 *
 * <pre>
 * PENDING → PROVISIONING → STARTING → READY ⇄ DEGRADED
 *                              ↘ FAILED (crash loop, startup timeout; still retried) ↗
 * any → DELETING → DELETED
 * </pre>
 */
public enum DeploymentState {
    /** Stored; the reconciler has not acted yet. */
    PENDING,
    /** Handed to the target; no replica seen yet. */
    PROVISIONING,
    /** Replicas start or load their model; none ready. */
    STARTING,
    /** Every desired replica is ready. */
    READY,
    /** Some replicas are ready, not all. */
    DEGRADED,
    /** Replicas fail to start or keep crashing; {@code stateReason} says why. */
    FAILED,
    /** Replicas drain and stop. */
    DELETING,
    /** Gone; kept for its events and economics. */
    DELETED
}
