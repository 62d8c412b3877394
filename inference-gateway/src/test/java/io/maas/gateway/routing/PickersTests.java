package io.maas.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickersTests {

    private static final long FRESH = Duration.ofSeconds(1).toNanos();
    private static final RoutingProperties.Prefix DEFAULTS = new RoutingProperties.Prefix(1.0, 0.5, 0.2, 8, 1.5, 4096);

    private final List<Endpoint> endpoints = List.of(endpoint(1), endpoint(2), endpoint(3));

    @Test
    void promptsSharingAPrefixShareTheirFirstBlockHashesOnly() {
        String system = "s".repeat(64 * 3);
        long[] a = PromptBlocks.of(system + "a".repeat(64)).hashes();
        long[] b = PromptBlocks.of(system + "b".repeat(64)).hashes();

        assertThat(a).hasSize(4);
        assertThat(List.of(a[0], a[1], a[2])).containsExactly(b[0], b[1], b[2]);
        assertThat(a[3]).isNotEqualTo(b[3]);
        assertThat(PromptBlocks.of("x".repeat(63)).size()).as("a partial block is not cached by an engine").isZero();
    }

    @Test
    void anIndexFindsTheLeadingBlocksSentAndForgetsAPromptsTailFirst() {
        PrefixIndex index = new PrefixIndex(4);
        PromptBlocks first = PromptBlocks.of("a".repeat(64 * 3));
        PromptBlocks longer = PromptBlocks.of("a".repeat(64 * 5));
        index.sent(first);

        assertThat(index.matched(longer)).isEqualTo(3);
        index.sent(PromptBlocks.of("z".repeat(64 * 2)));
        assertThat(index.matched(first)).as("its last block evicted").isEqualTo(2);
    }

    @Test
    void roundRobinTakesEachInTurn() {
        Picker picker = new RoundRobin();
        Map<Endpoint, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            picks.merge(picker.pick(endpoints, PromptBlocks.NONE, 0).endpoint(), 1, Integer::sum);
        }
        assertThat(picks.values()).containsOnly(10);
    }

    @Test
    void leastLoadCountsWhatTheGatewayRoutedBeforeTheEnginesReportIt() {
        Picker picker = new LeastLoad(FRESH);
        for (int i = 0; i < 30; i++) {
            picker.pick(endpoints, PromptBlocks.NONE, System.nanoTime()).endpoint().tryRoute(Integer.MAX_VALUE);
        }
        assertThat(endpoints).extracting(Endpoint::inFlight).containsOnly(10);
    }

    @Test
    void leastLoadUsesTheEnginesOwnLoadWhileFreshOnly() {
        Picker picker = new LeastLoad(FRESH);
        long now = System.nanoTime();
        endpoints.get(0).status("ready", 5, 3, 0.5, 0, now);
        endpoints.get(1).status("ready", 0, 0, 0.0, 0, now);
        endpoints.get(2).status("ready", 4, 0, 0.5, 0, now);

        assertThat(picker.pick(endpoints, PromptBlocks.NONE, now).endpoint()).isSameAs(endpoints.get(1));
        endpoints.get(1).tryRoute(Integer.MAX_VALUE);
        endpoints.get(1).tryRoute(Integer.MAX_VALUE);
        assertThat(picker.pick(endpoints, PromptBlocks.NONE, now + 2 * FRESH).endpoint())
                .as("stale engine numbers: only in-flight counts").isNotSameAs(endpoints.get(1));
    }

    @Test
    void prefixAffinityReturnsToTheEndpointHoldingThePromptUntilLoadIsTooUneven() {
        Picker picker = Picker.of(RoutingProperties.Strategy.PREFIX_AFFINITY, properties());
        PromptBlocks turn1 = PromptBlocks.of("system prompt ".repeat(40) + "first question");
        PromptBlocks turn2 = PromptBlocks.of("system prompt ".repeat(40) + "first question, answer, second question");

        Picker.Decision first = picker.pick(endpoints, turn1, System.nanoTime());
        Picker.Decision second = picker.pick(endpoints, turn2, System.nanoTime());

        assertThat(first.reason()).isEqualTo(Picker.Reason.PREFIX_MISS);
        assertThat(second.endpoint()).isSameAs(first.endpoint());
        assertThat(second.reason()).isEqualTo(Picker.Reason.PREFIX_HIT);

        for (int i = 0; i < 9; i++) {
            first.endpoint().tryRoute(Integer.MAX_VALUE);
        }
        Picker.Decision third = picker.pick(endpoints, turn2, System.nanoTime());
        assertThat(third.reason()).isEqualTo(Picker.Reason.LOAD_BALANCE);
        assertThat(third.endpoint()).isNotSameAs(first.endpoint());
    }

    @Test
    void ejectedEndpointsReturnAfterTwoGoodProbesAndDrainingOnesWithoutAFault() {
        Endpoint endpoint = endpoints.getFirst();
        endpoint.fault();
        endpoint.probed(200);
        assertThat(endpoint.available()).isFalse();
        endpoint.probed(200);
        assertThat(endpoint.available()).isTrue();

        endpoint.probed(503);
        assertThat(endpoint.available()).isFalse();
        assertThat(endpoint.ejected()).isFalse();
        endpoint.status("ready", 0, 0, 0, 0, System.nanoTime());
        assertThat(endpoint.available()).isTrue();
    }

    @Test
    void thePrefixIndexIsSizedToTheKvCapacityTheEngineReportsCappedByTheSetting() {
        Endpoint endpoint = endpoints.getFirst();
        assertThat(endpoint.prefixCapacity()).as("before any status: the setting").isEqualTo(4096);
        PromptBlocks prompt = PromptBlocks.of("a long shared prefix of a prompt ".repeat(40));
        endpoint.prefixes().sent(prompt);

        endpoint.status("ready", 0, 0, 0, 1024 * PromptBlocks.BLOCK_TOKENS, System.nanoTime());
        assertThat(endpoint.prefixCapacity()).isEqualTo(1024);
        assertThat(endpoint.prefixes().matched(prompt)).as("what it held is kept").isEqualTo(prompt.size());

        endpoint.status("ready", 0, 0, 0, 10 * PromptBlocks.BLOCK_TOKENS, System.nanoTime());
        assertThat(endpoint.prefixCapacity()).isEqualTo(10);
        assertThat(endpoint.prefixes().matched(prompt)).as("a KV cache of 10 blocks keeps the head of the prompt").isEqualTo(10);

        endpoint.status("ready", 0, 0, 0, 1_000_000_000L, System.nanoTime());
        assertThat(endpoint.prefixCapacity()).as("capped by platform.gateway.routing.prefix.blocks").isEqualTo(4096);
        endpoint.status("ready", 0, 0, 0, 0, System.nanoTime());
        assertThat(endpoint.prefixCapacity()).as("an engine that cannot tell changes nothing").isEqualTo(4096);
    }

    private static RoutingProperties properties() {
        return new RoutingProperties("prefix-affinity", Map.of(), Duration.ofSeconds(1), Duration.ofMillis(250),
                Duration.ofSeconds(1), Duration.ofSeconds(1), DEFAULTS,
                new RoutingProperties.Queue(64, 1024, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    private static Endpoint endpoint(int n) {
        return new Endpoint(URI.create("http://127.0.0.1:" + (9000 + n)), 4096);
    }

}
