package io.maas.gateway.routing;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code platform.gateway.routing.*}: how the gateway watches engine endpoints and picks one per
 * request. Checked when the gateway starts; a bad value stops it with a message naming the key.
 *
 * @param strategy             the picker of every model without its own: {@code round-robin}, {@code least-load}
 *                             or {@code prefix-affinity}
 * @param strategies           per served model name, a strategy that overrides {@code strategy}
 * @param healthInterval       how often each endpoint's {@code /health} is probed; an ejected one is back after two good probes
 * @param statusInterval       how often each endpoint's load ({@code /engine/status}) is read
 * @param statusStaleAfter     a load older than this is not used (the gateway's own in-flight count still is)
 * @param registryInterval     how often the deployments and their replicas are read from PostgreSQL
 * @param prefix               prefix-affinity's weights and bounded-load thresholds
 * @param queue                the per-model queue of requests waiting for an endpoint with room
 */
@ConfigurationProperties("platform.gateway.routing")
public record RoutingProperties(
        @DefaultValue("prefix-affinity") String strategy,
        @DefaultValue Map<String, String> strategies,
        @DefaultValue("1s") Duration healthInterval,
        @DefaultValue("250ms") Duration statusInterval,
        @DefaultValue("1s") Duration statusStaleAfter,
        @DefaultValue("1s") Duration registryInterval,
        @DefaultValue Prefix prefix,
        @DefaultValue Queue queue) {

    public RoutingProperties {
        Strategy.parse("platform.gateway.routing.strategy", strategy);
        strategies.forEach((model, value) -> Strategy.parse("platform.gateway.routing.strategies." + model, value));
        positive("health-interval", healthInterval);
        positive("status-interval", statusInterval);
        positive("status-stale-after", statusStaleAfter);
        positive("registry-interval", registryInterval);
        if (statusInterval.compareTo(Duration.ofMillis(250)) > 0) {
            throw new IllegalArgumentException("platform.gateway.routing.status-interval must be at most 250ms (it is "
                    + statusInterval + "): an older load misleads the pickers");
        }
    }

    /** The picker configured for {@code model}. */
    Strategy strategyOf(String model) {
        String value = strategies.get(model);
        return Strategy.parse("platform.gateway.routing.strategies." + model, value != null ? value : strategy);
    }

    /**
     * prefix-affinity's score of an endpoint is {@code prefixWeight × share of the prompt it likely
     * holds − loadWeight × its load / the busiest candidate's load − kvWeight × its KV-cache use}.
     * The defaults (1.0, 0.5, 0.2) make a cached prefix worth more than any difference in load
     * between candidates (a prefill saved is the largest part of time to first token for long
     * prompts), while load decides among endpoints holding the same prefix; KV use only breaks
     * near-ties, since a full cache evicts but does not queue. Bounded load: when the busiest
     * candidate carries more than {@code balanceAbsThreshold} requests above the idlest and more than
     * {@code balanceRelThreshold} times it, the pick is least-load, so that one hot system prompt
     * cannot pin one replica (SGLang's {@code balance_abs_threshold}/{@code balance_rel_threshold}).
     *
     * @param blocks the most prompt blocks remembered per endpoint (least recently sent go first): the
     *               index is sized to the KV capacity the engine reports in {@code /engine/status}, in blocks of
     *               {@value PromptBlocks#BLOCK_TOKENS} tokens, but never above this; until the engine reports
     *               one (or when it cannot), this is the size
     */
    public record Prefix(
            @DefaultValue("1.0") double prefixWeight,
            @DefaultValue("0.5") double loadWeight,
            @DefaultValue("0.2") double kvWeight,
            @DefaultValue("8") int balanceAbsThreshold,
            @DefaultValue("1.5") double balanceRelThreshold,
            @DefaultValue("4096") int blocks) {

        public Prefix {
            weight("prefix-weight", prefixWeight);
            weight("load-weight", loadWeight);
            weight("kv-weight", kvWeight);
            if (prefixWeight == 0 && loadWeight == 0 && kvWeight == 0) {
                throw new IllegalArgumentException("platform.gateway.routing.prefix.*-weight: at least one weight must be above 0");
            }
            if (balanceAbsThreshold < 0) {
                throw new IllegalArgumentException("platform.gateway.routing.prefix.balance-abs-threshold must be 0 or more (it is "
                        + balanceAbsThreshold + ")");
            }
            if (!(balanceRelThreshold >= 1)) {
                throw new IllegalArgumentException("platform.gateway.routing.prefix.balance-rel-threshold must be 1 or more (it is "
                        + balanceRelThreshold + ")");
            }
            if (blocks < 1) {
                throw new IllegalArgumentException("platform.gateway.routing.prefix.blocks must be 1 or more (it is " + blocks + ")");
            }
        }

        private static void weight(String key, double value) {
            if (!(value >= 0 && value <= 100)) {
                throw new IllegalArgumentException("platform.gateway.routing.prefix." + key + " must be between 0 and 100 (it is "
                        + value + ")");
            }
        }
    }

    /**
     * When every available endpoint of a model has {@code maxInFlightPerEndpoint} requests of this
     * gateway in flight, further requests wait in the model's {@link FairQueue} (fair across tenants)
     * for up to {@code maxWait}; a queued streamed request gets {@code : keep-alive} every
     * {@code keepAliveInterval}. Past the wait, or when {@code capacity} requests already wait: 503
     * {@code overloaded} with {@code Retry-After: retryAfter}.
     */
    public record Queue(
            @DefaultValue("64") int maxInFlightPerEndpoint,
            @DefaultValue("1024") int capacity,
            @DefaultValue("10m") Duration maxWait,
            @DefaultValue("10s") Duration keepAliveInterval,
            @DefaultValue("10s") Duration retryAfter) {

        public Queue {
            if (maxInFlightPerEndpoint < 1) {
                throw new IllegalArgumentException("platform.gateway.routing.queue.max-in-flight-per-endpoint must be 1 or more (it is "
                        + maxInFlightPerEndpoint + ")");
            }
            if (capacity < 0) {
                throw new IllegalArgumentException("platform.gateway.routing.queue.capacity must be 0 or more (it is " + capacity + ")");
            }
            positive("queue.max-wait", maxWait);
            positive("queue.keep-alive-interval", keepAliveInterval);
            positive("queue.retry-after", retryAfter);
        }
    }

    /** The pickers. */
    public enum Strategy {
        ROUND_ROBIN, LEAST_LOAD, PREFIX_AFFINITY;

        static Strategy parse(String key, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(key + " must be round-robin, least-load or prefix-affinity (it is '"
                        + value + "')");
            }
        }
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("platform.gateway.routing." + key + " must be positive (it is " + value + ")");
        }
    }
}
