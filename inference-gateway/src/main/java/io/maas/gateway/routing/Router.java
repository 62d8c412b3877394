package io.maas.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.maas.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one seam between a request and the endpoints: {@link #lease} picks an endpoint of a route with
 * the model's picker ({@code platform.gateway.routing.strategy}) among those available and not yet
 * tried, and counts the request in flight there at once; the {@link Lease} says how the attempt went
 * and is closed when the request ends. The decision and its reason are logged at debug.
 *
 * <p>When every endpoint of a route not yet tried is ejected, the ejected ones are tried rather than
 * none (Envoy's panic routing): ejection guesses from one failure, and a request refused at once is
 * worse than one sent to an endpoint that may have recovered. Draining endpoints are never tried.
 */
@Component
public class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final EndpointMonitor monitor;
    private final RoutingProperties properties;
    private final GatewayMetrics metrics;
    private final Map<String, Picker> pickers = new ConcurrentHashMap<>();

    Router(EndpointMonitor monitor, RoutingProperties properties, GatewayMetrics metrics) {
        this.monitor = monitor;
        this.properties = properties;
        this.metrics = metrics;
    }

    /**
     * An endpoint of {@code route} for one attempt of request {@code requestId}, or empty when no
     * endpoint of it is available (all ejected, draining, or already {@code tried}).
     */
    public Optional<Lease> lease(ModelRoutes.Route route, PromptBlocks prompt, Set<URI> tried, String requestId) {
        List<Endpoint> candidates = new ArrayList<>(route.targets().size());
        List<ModelRoutes.Target> targets = new ArrayList<>(route.targets().size());
        for (ModelRoutes.Target target : route.targets()) {
            if (!target.draining() && !tried.contains(target.endpoint())) {
                Endpoint endpoint = monitor.of(target.endpoint());
                if (endpoint.available()) {
                    candidates.add(endpoint);
                    targets.add(target);
                }
            }
        }
        if (candidates.isEmpty()) {
            for (ModelRoutes.Target target : route.targets()) {
                Endpoint endpoint = monitor.of(target.endpoint());
                if (!target.draining() && !tried.contains(target.endpoint()) && endpoint.lastResort()) {
                    candidates.add(endpoint);
                    targets.add(target);
                }
            }
        }
        if (candidates.isEmpty()) {
            log.debug("request={} model={} no endpoint available (targets={} tried={})", requestId, route.model(),
                    route.targets().size(), tried.size());
            return Optional.empty();
        }
        Picker picker = pickers.computeIfAbsent(route.model(), m -> Picker.of(properties.strategyOf(m), properties));
        Picker.Decision decision = picker.pick(candidates, prompt, System.nanoTime());
        Endpoint endpoint = decision.endpoint();
        endpoint.routed();
        metrics.decided(route.model(), decision.reason().label());
        ModelRoutes.Target target = targets.get(candidates.indexOf(endpoint));
        if (log.isDebugEnabled()) {
            log.debug("request={} model={} endpoint={} reason={} in-flight={} candidates={}", requestId, route.model(),
                    endpoint, decision.reason().label(), endpoint.inFlight(), candidates);
        }
        return Optional.of(new Lease(endpoint, route.deploymentId(), target.replicaId(), decision.reason()));
    }
}
