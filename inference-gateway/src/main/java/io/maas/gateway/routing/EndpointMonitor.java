package io.maas.gateway.routing;

import io.maas.api.engine.EngineSecret;
import io.maas.api.engine.EngineStatus;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every engine endpoint the routes name, watched: {@code /health} every
 * {@code platform.gateway.routing.health-interval} (ejection and return, {@link Endpoint}) and
 * {@code /engine/status} every {@code status-interval} (load). Each probe runs on its own virtual
 * thread with a timeout below its interval, and a probe still running is not started again, so one
 * hung engine delays no other.
 */
@Component
public class EndpointMonitor implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EndpointMonitor.class);

    private record Watched(Endpoint endpoint, List<Meter> gauges) {
    }

    private final Map<URI, Watched> endpoints = new ConcurrentHashMap<>();
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private final RoutingProperties properties;
    private final JsonMapper json;
    private final HttpClient http;
    /** The engine secret's {@code Authorization} value; null without a secret. */
    private final String authorization;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("endpoint-monitor").daemon().factory());
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

    private final GatewayMetrics metrics;

    EndpointMonitor(RoutingProperties properties, GatewayProperties gateway, JsonMapper json, GatewayMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
        this.json = json;
        this.authorization = gateway.engineSecret().authorization().orElse(null);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.healthInterval()).build();
        ticks.scheduleWithFixedDelay(() -> probeAll("health"), 0, properties.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
        ticks.scheduleWithFixedDelay(() -> probeAll("status"), 0, properties.statusInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The endpoint at {@code uri}, watched from now on. */
    public Endpoint of(URI uri) {
        return endpoints.computeIfAbsent(uri, u -> {
            Endpoint endpoint = new Endpoint(u, properties.prefix().blocks());
            return new Watched(endpoint, metrics.endpoint(u.toString(), endpoint::available, endpoint::inFlight));
        }).endpoint();
    }

    /** Every endpoint watched now. */
    List<Endpoint> watched() {
        return endpoints.values().stream().map(Watched::endpoint).toList();
    }

    /** Stops watching endpoints no route names any more. */
    void retain(Set<URI> named) {
        endpoints.entrySet().removeIf(entry -> {
            boolean gone = !named.contains(entry.getKey());
            if (gone) {
                metrics.forget(entry.getValue().gauges());
            }
            return gone;
        });
    }

    private void probeAll(String kind) {
        for (Watched watched : endpoints.values()) {
            Endpoint endpoint = watched.endpoint();
            String key = kind + ' ' + endpoint.uri();
            if (probing.add(key)) {
                probes.execute(() -> {
                    try {
                        if (kind.equals("health")) {
                            endpoint.probed(get(endpoint.uri().resolve("/health"), properties.healthInterval()).status());
                        } else {
                            readStatus(endpoint);
                        }
                    } finally {
                        probing.remove(key);
                    }
                });
            }
        }
    }

    private void readStatus(Endpoint endpoint) {
        Answer answer = get(endpoint.uri().resolve("/engine/status"), properties.statusStaleAfter());
        if (answer.status() != 200) {
            return;
        }
        try {
            EngineStatus status = json.readValue(answer.body(), EngineStatus.class);
            endpoint.status(status.state(), status.running(), status.waiting(), status.kvCacheUsage(), status.kvCacheTokens(),
                    System.nanoTime());
        } catch (JacksonException e) {
            log.debug("Endpoint {} answered /engine/status with something else than its status: {}", endpoint, e.getMessage());
        }
    }

    private record Answer(int status, byte[] body) {
        static final Answer NONE = new Answer(0, new byte[0]);
    }

    /**
     * A GET with the engine secret (an adapter with a secret answers only {@code /health} without it); a failure to
     * connect or to answer in time reads as status 0.
     */
    private Answer get(URI uri, Duration timeout) {
        try {
            var request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (authorization != null) {
                request.header(EngineSecret.HEADER, authorization);
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return Answer.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.NONE;
        }
    }

    @Override
    public void destroy() {
        ticks.shutdownNow();
        probes.shutdownNow();
    }
}
