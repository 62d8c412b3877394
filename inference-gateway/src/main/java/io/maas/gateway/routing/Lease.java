package io.maas.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's hold on one endpoint, from the moment it was picked (counted in flight there) until
 * {@link #close} (idempotent). The caller reports how the endpoint behaved: {@link #fault} (refused
 * connection, 5xx, broken stream: ejected) or {@link #refused} (503 on new work: out without a fault).
 *
 * @see Router#lease
 */
public final class Lease implements AutoCloseable {

    private final Endpoint endpoint;
    private final UUID deploymentId;
    private final UUID replicaId;
    private final Picker.Reason reason;
    private final Duration queued;
    private final Runnable released;
    private final AtomicBoolean closed = new AtomicBoolean();

    Lease(Endpoint endpoint, UUID deploymentId, UUID replicaId, Picker.Reason reason, Duration queued, Runnable released) {
        this.endpoint = endpoint;
        this.deploymentId = deploymentId;
        this.replicaId = replicaId;
        this.reason = reason;
        this.queued = queued;
        this.released = released;
    }

    public URI endpoint() {
        return endpoint.uri();
    }

    /** The deployment served; null for a static route. */
    public UUID deploymentId() {
        return deploymentId;
    }

    /** The replica served; null for a static route. */
    public UUID replicaId() {
        return replicaId;
    }

    public String reason() {
        return reason.label();
    }

    /** How long the request waited in the gateway's queue for an endpoint with room. */
    public Duration queued() {
        return queued;
    }

    /** The endpoint failed (refused connection, 5xx, broken stream): ejected until two good probes. */
    public void fault() {
        endpoint.fault();
    }

    /** The endpoint refused new work with 503 (draining, or its queue full): out without a fault. */
    public void refused() {
        endpoint.refusing();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            endpoint.finished();
            released.run();
        }
    }
}
