package io.maas.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The gateway's own metrics, served in Prometheus' text format at {@code /metrics}:
 * {@code gateway_requests_total} (model, endpoint, outcome), {@code gateway_time_to_first_token_seconds}
 * and {@code gateway_time_per_output_token_seconds} (model), {@code gateway_tokens_total} (model, kind:
 * prompt, cached, completion), {@code gateway_routing_decisions_total} (model, reason),
 * {@code gateway_queue_depth} and {@code gateway_queue_time_seconds} (model), and per endpoint
 * {@code gateway_endpoint_up} and {@code gateway_endpoint_in_flight}. A {@code tenant} label is added
 * to requests and tokens only with {@code platform.gateway.metrics.tenant-label=true}: tenants are
 * unbounded in number, and each label value is a time series to keep.
 */
@Component
public class GatewayMetrics {

    /** {@code platform.gateway.metrics.*}; {@code tenantLabel}: label requests and tokens with the tenant id. */
    @ConfigurationProperties("platform.gateway.metrics")
    public record Properties(@DefaultValue("false") boolean tenantLabel) {
    }

    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final MeterRegistry registry;
    private final boolean tenantLabel;

    GatewayMetrics(MeterRegistry registry, Properties properties) {
        this.registry = registry;
        this.tenantLabel = properties.tenantLabel();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Gauges of one endpoint: up (1 when it takes new requests) and this gateway's requests in flight there. */
    public List<Meter> endpoint(String uri, BooleanSupplier up, IntSupplier inFlight) {
        return List.of(
                Gauge.builder("gateway.endpoint.up", () -> up.getAsBoolean() ? 1 : 0).tag("endpoint", uri).register(registry),
                Gauge.builder("gateway.endpoint.in.flight", inFlight::getAsInt).tag("endpoint", uri).register(registry));
    }

    /** Removes an endpoint's gauges once no route names it. */
    public void forget(List<Meter> meters) {
        meters.forEach(registry::remove);
    }

    /** The number of requests waiting in a model's queue. */
    public void queueDepth(String model, IntSupplier size) {
        Gauge.builder("gateway.queue.depth", size::getAsInt).tag("model", model).register(registry);
    }

    /** A request that waited in a model's queue, and how long. */
    public void queued(String model, Duration waited) {
        seconds("gateway.queue.time", model, waited.toNanos() / 1e9);
    }

    /** A routing decision and its reason. */
    public void decided(String model, String reason) {
        Counter.builder("gateway.routing.decisions").tags("model", model, "reason", reason).register(registry).increment();
    }

    /**
     * A request that reached an engine, ended: its outcome, tokens and latencies. {@code timeToFirstToken}
     * is null when no token came back.
     */
    public void finished(String model, String endpoint, String outcome, UUID tenant, long promptTokens, long cachedTokens,
            long completionTokens, Duration timeToFirstToken, Duration generation) {
        Tags tags = tenantLabel ? Tags.of("model", model, "tenant", String.valueOf(tenant)) : Tags.of("model", model);
        Counter.builder("gateway.requests").tags(tags).tags("endpoint", endpoint, "outcome", outcome).register(registry).increment();
        tokens(tags, "prompt", promptTokens);
        tokens(tags, "cached", cachedTokens);
        tokens(tags, "completion", completionTokens);
        if (timeToFirstToken != null) {
            seconds("gateway.time.to.first.token", model, timeToFirstToken.toNanos() / 1e9);
            if (completionTokens > 1) {
                seconds("gateway.time.per.output.token", model, generation.toNanos() / 1e9 / (completionTokens - 1));
            }
        }
    }

    private void tokens(Tags tags, String kind, long count) {
        Counter.builder("gateway.tokens").tags(tags).tag("kind", kind).register(registry).increment(count);
    }

    private void seconds(String name, String model, double value) {
        DistributionSummary.builder(name).baseUnit("seconds").tags("model", model)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(value);
    }
}
