package io.maas.tenant.deployment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.deployments.*}: limits and the reconciler's timing.
 *
 * @param maxReplicas        the most replicas one deployment may ask for
 * @param reconcileInterval  how often the reconciler compares every deployment with what runs
 * @param drainDelay         a replica that leaves is DRAINING this long before it is stopped, so that every
 *                           gateway (polling each second) stops sending it requests first; at least 2.5 s
 * @param startTimeout       a replica not ready this long after its start fails the deployment (startup timeout)
 * @param initialBackoff     the wait before restarting a failed replica, doubled for each restart in a row …
 * @param maxBackoff         … up to this
 * @param crashLoopRestarts  restarts in a row after which the deployment is FAILED (crash loop); it is still restarted
 * @param defaultConcurrency sequences of the full context each replica must hold at once, for fit, when a request names none
 */
@Validated
@ConfigurationProperties("platform.deployments")
public record DeploymentProperties(
        @DefaultValue("16") int maxReplicas,
        @DefaultValue("1s") Duration reconcileInterval,
        @DefaultValue("3s") Duration drainDelay,
        @DefaultValue("10m") Duration startTimeout,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("1m") Duration maxBackoff,
        @DefaultValue("3") int crashLoopRestarts,
        @DefaultValue("1") int defaultConcurrency) {

    public DeploymentProperties {
        if (drainDelay.compareTo(Duration.ofMillis(2500)) < 0) {
            throw new IllegalArgumentException("platform.deployments.drain-delay must be at least 2.5s (gateways poll every second), was "
                    + drainDelay);
        }
    }
}
