package io.maas.tenant.deployment.provision;

import java.util.List;

/**
 * Where the replicas of private deployments run: one implementation per deployment target
 * ({@code local}: engine-adapter processes on this machine; {@code kubernetes}: objects in a cluster).
 *
 * <p>Lifecycle rules, which the reconciler relies on:
 * <ul>
 *   <li>Level-triggered and idempotent: {@link #apply} says what should run; calling it again with the
 *       same spec changes nothing. It returns once the change is handed to the target, never waiting
 *       for a model to load; progress is read with {@link #observe}.</li>
 *   <li>Scaling down drains: a replica that leaves takes no new requests and finishes the ones it has
 *       before it stops (the engine-adapter drains on SIGTERM; in Kubernetes a preStop hook and the
 *       termination grace period do the same).</li>
 *   <li>Survives a restart of tenant-service: {@link #observe} finds replicas started by an earlier
 *       process of the same target, and {@link #apply} never starts a second copy of one that runs.</li>
 *   <li>Ordinals: where the target has them, it runs ordinals 0..replicas-1, and a scale-down removes the
 *       highest. The reconciler marks the leaving replicas' rows DRAINING and waits its drain delay (gateways
 *       poll every second) before it calls {@link #apply} with the lower count.</li>
 *   <li>Called from the reconciler's thread only, one deployment at a time; implementations may
 *       keep their own watchers or child processes.</li>
 * </ul>
 */
public interface Provisioner {

    /** The target name deployments use: {@code local} or {@code kubernetes}. */
    String target();

    /** The accelerators this target can place replicas on, for one-click fit; empty when it has none. */
    List<AcceleratorOffer> inventory();

    /** Make the target run {@code spec.replicas()} replicas of the deployment (0 stops them all, draining). */
    void apply(DeploymentSpec spec);

    /** The replicas the target runs or is starting for the deployment, one entry each. */
    List<ReplicaObservation> observe(DeploymentSpec spec);

    /** Remove everything this target created for the deployment; idempotent. */
    void delete(DeploymentSpec spec);

    /**
     * Whether replicas keep running when tenant-service stops (a cluster's pods do). When not, tenant-service
     * drains their rows and records them stopped as it shuts down, so that no gateway routes to them.
     */
    default boolean replicasOutliveService() {
        return true;
    }

    /**
     * Checks a deployment name beyond the DNS label every target takes (a target may derive longer names from
     * it); called before a deployment is accepted.
     *
     * @throws IllegalArgumentException saying what the name must be
     */
    default void checkName(String name) {
    }
}
