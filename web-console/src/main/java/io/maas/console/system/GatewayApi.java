package io.maas.console.system;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The gateway's read-only view for the console ({@code /console/…}, with
 * {@code platform.console.gateway-secret}): the engines it routes to and their health and load, and a
 * tenant's per-minute counters. Both are views of the moment: when the gateway cannot be asked (no
 * secret configured, unreachable, refused) the answer is empty and the page says so; nothing else on
 * the page depends on it.
 */
@Component
public class GatewayApi {

    /** A model an endpoint serves: for a deployment's replica, or a static route (ids null). */
    public record Serving(String model, UUID deploymentId, UUID replicaId, UUID tenantId, boolean draining) {
    }

    /** The engine's own numbers, read within the last second; {@code kvCacheUsage} 0–1. */
    public record EngineLoad(int running, int waiting, double kvCacheUsage, long ageMillis) {
    }

    /** @param health {@code available}, {@code draining} or {@code ejected} */
    public record Endpoint(String endpoint, List<Serving> serves, String health, int inFlight, EngineLoad engineLoad) {
    }

    /** A limit ({@code null}: not set) and its use now. */
    public record Use(Long limit, long used) {
    }

    /** @param model null: the tenant's policy for every model; {@code concurrentRequests} null for a policy of one model (not counted per model) */
    public record PolicyUse(String model, Use requestsPerMinute, Use tokensPerMinute, Use concurrentRequests) {
    }

    public record LimitUse(UUID tenantId, java.time.Instant windowEndsAt, List<PolicyUse> policies) {
    }

    private static final Logger log = LoggerFactory.getLogger(GatewayApi.class);
    private static final ParameterizedTypeReference<List<Endpoint>> ENDPOINTS = new ParameterizedTypeReference<>() { };

    private final RestClient client;
    private final boolean configured;

    GatewayApi(ConsoleProperties properties) {
        var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build());
        factory.setReadTimeout(properties.requestTimeout());
        this.configured = properties.gatewaySecret().isSet();
        this.client = RestClient.builder().baseUrl(properties.gatewayUrl().toString()).requestFactory(factory)
                .defaultHeaders(h -> properties.gatewaySecret().authorization().ifPresent(value -> h.set("Authorization", value)))
                .build();
    }

    /** Every engine endpoint the gateway routes to; empty when the gateway cannot be asked. */
    public Optional<List<Endpoint>> fleet() {
        return ask(() -> client.get().uri("/console/fleet").retrieve().body(ENDPOINTS), "the fleet");
    }

    /** {@code tenantId}'s per-minute limits and their use now; empty when the gateway cannot be asked. */
    public Optional<LimitUse> limitUse(UUID tenantId) {
        return ask(() -> client.get().uri("/console/tenants/{id}/limit-use", tenantId).retrieve().body(LimitUse.class),
                "the per-minute counters");
    }

    private <T> Optional<T> ask(java.util.function.Supplier<T> call, String what) {
        if (!configured) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(call.get());
        } catch (RestClientException e) {
            log.warn("The gateway could not give {}: {}", what, e.getMessage());
            return Optional.empty();
        }
    }
}
