package io.maas.gateway.routing;

import io.maas.gateway.GatewayProperties;
import io.maas.gateway.auth.ConsoleAccess;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /console/fleet} (the console's secret, {@link ConsoleAccess}): every engine endpoint this
 * gateway replica routes to, as its router sees it now: which models and deployments it serves, its
 * health and its load. Read-only; each gateway replica answers with its own view.
 */
@RestController
class FleetController {

    /** A model served at an endpoint: by a deployment ({@code deploymentId}, {@code replicaId}) or a static route (both null). */
    record Serving(String model, UUID deploymentId, UUID replicaId, UUID tenantId, boolean draining) {
    }

    /**
     * One endpoint.
     *
     * @param health        {@code available}, {@code draining} (refusing new work without a fault) or {@code ejected} (a fault;
     *                      back after two good probes)
     * @param inFlight      requests this gateway replica has there now
     * @param engineLoad    the engine's own numbers when read within {@code status-stale-after}; null otherwise
     */
    record EndpointView(URI endpoint, List<Serving> serves, String health, int inFlight, EngineLoad engineLoad) {
    }

    /** @param kvCacheUsage 0–1 */
    record EngineLoad(int running, int waiting, double kvCacheUsage, long ageMillis) {
    }

    private final EndpointMonitor monitor;
    private final DeploymentRegistry deployments;
    private final GatewayProperties gateway;
    private final RoutingProperties routing;

    FleetController(EndpointMonitor monitor, DeploymentRegistry deployments, GatewayProperties gateway, RoutingProperties routing) {
        this.monitor = monitor;
        this.deployments = deployments;
        this.gateway = gateway;
        this.routing = routing;
    }

    @GetMapping(ConsoleAccess.PATH_PREFIX + "fleet")
    List<EndpointView> fleet() {
        Map<URI, List<Serving>> serves = new HashMap<>();
        for (GatewayProperties.ModelRoute route : gateway.models()) {
            route.endpoints().forEach(e -> serves.computeIfAbsent(e, k -> new ArrayList<>()).add(new Serving(route.name(), null, null, null, false)));
        }
        for (DeploymentRegistry.Served served : deployments.all().values()) {
            List<DeploymentRegistry.Deployment> all = new ArrayList<>(served.privates().values());
            if (served.shared() != null) {
                all.add(served.shared());
            }
            for (DeploymentRegistry.Deployment d : all) {
                for (DeploymentRegistry.Replica r : d.replicas()) {
                    serves.computeIfAbsent(r.endpoint(), k -> new ArrayList<>())
                            .add(new Serving(d.servedModelName(), d.id(), r.id(), d.tenantId(), r.draining()));
                }
            }
        }
        long now = System.nanoTime();
        long stale = routing.statusStaleAfter().toNanos();
        return monitor.watched().stream()
                .map(endpoint -> {
                    Endpoint.Load load = endpoint.lastLoad();
                    long age = now - load.readAtNanos();
                    return new EndpointView(endpoint.uri(), serves.getOrDefault(endpoint.uri(), List.of()),
                            endpoint.ejected() ? "ejected" : endpoint.refusingWork() ? "draining" : "available", endpoint.inFlight(),
                            load.readAtNanos() != Long.MIN_VALUE && age <= stale
                                    ? new EngineLoad(load.running(), load.waiting(), load.kvCacheUsage(), age / 1_000_000) : null);
                })
                .sorted(Comparator.comparing(view -> view.endpoint().toString()))
                .toList();
    }
}
