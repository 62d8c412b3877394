package io.maas.gateway.routing;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one seam between a request and the endpoints: {@link #lease} picks an endpoint of a route with
 * the model's picker ({@code platform.gateway.routing.strategy}) among those available and not yet
 * tried, and counts the request in flight there at once; the {@link Lease} says how the attempt went
 * and is closed when the request ends. The decision and its reason are logged at debug.
 *
 * <p>When every available endpoint is full ({@code queue.max-in-flight-per-endpoint}), the request
 * waits in the model's {@link FairQueue} until one has room; while requests wait, a new one queues
 * behind them rather than overtaking them. The caller's admission reservation is held meanwhile.
 *
 * <p>When every endpoint of a route not yet tried is ejected, the ejected ones are tried rather than
 * none (Envoy's panic routing): ejection guesses from one failure, and a request refused at once is
 * worse than one sent to an endpoint that may have recovered. Draining endpoints are never tried.
 */
@Component
public class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final long RECHECK_NANOS = Duration.ofMillis(250).toNanos();

    /** What the router needs of one request: who asks, its prompt, and how to keep it alive while it waits. */
    public record Request(String requestId, UUID tenant, PromptBlocks prompt, Waiting waiting) {
    }

    /** How a request is kept informed while it waits in the queue; a failure means its client left. */
    public interface Waiting {
        /** It joined the queue (a stream sends its headers now). */
        void queued() throws IOException;

        /** It is still waiting (a stream sends {@code : keep-alive}). */
        void keepAlive() throws IOException;

        /** A non-streamed request: nothing is sent until its answer. */
        Waiting SILENT = new Waiting() {
            @Override
            public void queued() {
            }

            @Override
            public void keepAlive() {
            }
        };
    }

    private final EndpointMonitor monitor;
    private final RoutingProperties properties;
    private final GatewayMetrics metrics;
    private final Map<String, Picker> pickers = new ConcurrentHashMap<>();
    private final Map<String, FairQueue> queues = new ConcurrentHashMap<>();

    Router(EndpointMonitor monitor, RoutingProperties properties, GatewayMetrics metrics) {
        this.monitor = monitor;
        this.properties = properties;
        this.metrics = metrics;
    }

    /**
     * An endpoint of {@code route} for one attempt of {@code request}, or empty when no endpoint of it
     * is available (all draining, or already {@code tried}). Waits in the queue while every available
     * endpoint is full; 503 {@code overloaded} when the queue is full or the wait too long.
     */
    public Optional<Lease> lease(ModelRoutes.Route route, Request request, Set<URI> tried) {
        long start = System.nanoTime();
        FairQueue queue = queue(route.model());
        Candidates candidates = candidates(route, tried);
        if (candidates.endpoints().isEmpty()) {
            log.debug("request={} model={} no endpoint available (targets={} tried={})", request.requestId(), route.model(),
                    route.targets().size(), tried.size());
            return Optional.empty();
        }
        if (queue.isEmpty()) {
            Lease lease = tryPick(route, request, candidates, queue, Duration.ZERO);
            if (lease != null) {
                return Optional.of(lease);
            }
        }
        FairQueue.Ticket ticket = queue.join(request.tenant());
        if (ticket == null) {
            throw overloaded(route, "its queue is full (" + properties.queue().capacity() + " requests wait)");
        }
        boolean served = false;
        try {
            request.waiting().queued();
            long deadline = start + properties.queue().maxWait().toNanos();
            long keepAlive = properties.queue().keepAliveInterval().toNanos();
            long nextKeepAlive = start + keepAlive;
            while (true) {
                if (queue.isNext(ticket)) {
                    candidates = candidates(route, tried);
                    if (candidates.endpoints().isEmpty()) {
                        return Optional.empty();
                    }
                    Duration queued = Duration.ofNanos(System.nanoTime() - start);
                    Lease lease = tryPick(route, request, candidates, queue, queued);
                    if (lease != null) {
                        queue.leave(ticket, true);
                        served = true;
                        metrics.queued(route.model(), queued);
                        return Optional.of(lease);
                    }
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    throw overloaded(route, "every engine stayed busy for " + properties.queue().maxWait());
                }
                if (now >= nextKeepAlive) {
                    request.waiting().keepAlive();
                    nextKeepAlive += keepAlive;
                }
                queue.await(Math.min(RECHECK_NANOS, Math.min(deadline, nextKeepAlive) - now));
            }
        } catch (IOException clientGone) {
            throw new ApiException(ApiError.OVERLOADED, "The client left while its request waited for an engine.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiError.ENGINE_UNAVAILABLE, "The gateway is shutting down. Retry.");
        } finally {
            if (!served) {
                queue.leave(ticket, false);
            }
        }
    }

    /**
     * Whether background work (a line of a batch) may be sent to {@code route} now without taking room from online
     * requests: none waits in the model's queue, and an available endpoint has a load below {@code maxLoad} (this
     * gateway's requests in flight there, or the engine's running + waiting while its status is fresh, whichever is
     * more). A check, not a reservation: an online request arriving after it still queues fairly with the work sent.
     */
    public boolean idle(ModelRoutes.Route route, int maxLoad) {
        if (!queue(route.model()).isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        long staleAfter = properties.statusStaleAfter().toNanos();
        for (Endpoint endpoint : candidates(route, Set.of()).endpoints()) {
            if (endpoint.available() && endpoint.load(now, staleAfter) < maxLoad) {
                return true;
            }
        }
        return false;
    }

    private FairQueue queue(String model) {
        return queues.computeIfAbsent(model, m -> {
            FairQueue queue = new FairQueue(properties.queue().capacity());
            metrics.queueDepth(m, queue::size);
            return queue;
        });
    }

    private ApiException overloaded(ModelRoutes.Route route, String why) {
        return new ApiException(ApiError.OVERLOADED, "Every engine serving '" + route.model() + "' is busy and " + why
                + ". Retry later.").withHeader("Retry-After", String.valueOf(properties.queue().retryAfter().toSeconds()));
    }

    /** The endpoints a request may go to now, with the route's target of each. */
    private record Candidates(List<Endpoint> endpoints, List<ModelRoutes.Target> targets) {
        Candidates onlyWithRoom(int maxInFlight) {
            Candidates room = new Candidates(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < endpoints.size(); i++) {
                if (endpoints.get(i).inFlight() < maxInFlight) {
                    room.endpoints().add(endpoints.get(i));
                    room.targets().add(targets.get(i));
                }
            }
            return room;
        }
    }

    private Candidates candidates(ModelRoutes.Route route, Set<URI> tried) {
        Candidates available = new Candidates(new ArrayList<>(), new ArrayList<>());
        Candidates lastResort = new Candidates(new ArrayList<>(), new ArrayList<>());
        for (ModelRoutes.Target target : route.targets()) {
            if (target.draining() || tried.contains(target.endpoint())) {
                continue;
            }
            Endpoint endpoint = monitor.of(target.endpoint());
            Candidates into = endpoint.available() ? available : endpoint.lastResort() ? lastResort : null;
            if (into != null) {
                into.endpoints().add(endpoint);
                into.targets().add(target);
            }
        }
        return available.endpoints().isEmpty() ? lastResort : available;
    }

    /**
     * Picks among the candidates with room and counts the request in flight there; null when none has
     * room (any more: another request may have taken the last place since it was looked at).
     */
    private Lease tryPick(ModelRoutes.Route route, Request request, Candidates all, FairQueue queue, Duration queued) {
        int max = properties.queue().maxInFlightPerEndpoint();
        Candidates candidates = all.onlyWithRoom(max);
        if (candidates.endpoints().isEmpty()) {
            return null;
        }
        Picker picker = pickers.computeIfAbsent(route.model(), m -> Picker.of(properties.strategyOf(m), properties));
        Picker.Decision decision = picker.pick(candidates.endpoints(), request.prompt(), System.nanoTime());
        Endpoint endpoint = decision.endpoint();
        if (!endpoint.tryRoute(max)) {
            return null;
        }
        metrics.decided(route.model(), decision.reason().label());
        ModelRoutes.Target target = candidates.targets().get(candidates.endpoints().indexOf(endpoint));
        if (log.isDebugEnabled()) {
            log.debug("request={} model={} endpoint={} reason={} in-flight={} queued-ms={} candidates={}", request.requestId(),
                    route.model(), endpoint, decision.reason().label(), endpoint.inFlight(), queued.toMillis(),
                    candidates.endpoints());
        }
        return new Lease(endpoint, route.deploymentId(), target.replicaId(), decision.reason(), queued, queue::signal);
    }
}
