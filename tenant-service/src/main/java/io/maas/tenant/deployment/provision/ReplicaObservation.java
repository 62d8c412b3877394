package io.maas.tenant.deployment.provision;

import java.time.Instant;

/**
 * One replica as its target sees it now.
 *
 * @param handle    the target's own name for it, stable while it lives: {@code local-<name>-<ordinal>-<incarnation>}, a pod
 *                  (or leader pod) name; the reconciler keys replica rows by it
 * @param ordinal   the replica's index (0-based) where the target has one, else null
 * @param phase     where it is in its life
 * @param endpoint  the base URL the gateway calls ({@code http://127.0.0.1:41234}, {@code http://10.1.2.3:8000}); null until known
 * @param startedAt when its process or pod started; null before
 * @param restarts  how often the target restarted it
 * @param message   the latest progress or error, as a person would read it ({@code loading weights 40 %},
 *                  {@code CrashLoopBackOff: exit code 1}); null when there is nothing to say
 */
public record ReplicaObservation(String handle, Integer ordinal, Phase phase, String endpoint, Instant startedAt, int restarts,
        String message) {

    public enum Phase {
        /** Placed, process or pod starting, model loading. */
        STARTING,
        /** {@code /health} answers: takes requests. */
        READY,
        /** Leaving: takes no new requests, finishing the ones it has. */
        DRAINING,
        /** Exited or failed to start; the target may restart it (see {@link #restarts()}). */
        FAILED
    }
}
