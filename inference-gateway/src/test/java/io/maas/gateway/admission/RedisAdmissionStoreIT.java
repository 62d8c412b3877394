package io.maas.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.maas.gateway.RedisServer;
import io.maas.gateway.admission.AdmissionStore.Ask;
import io.maas.gateway.admission.AdmissionStore.Decision;
import io.maas.gateway.admission.AdmissionStore.Limit;
import io.maas.gateway.admission.AdmissionStore.ScopeLimits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Redis store's scripts, on a Redis of this test's own: the keys they leave (window counters and in-flight slots
 * that expire, none for a limit not set), a dead gateway's slot freed once its lease ended, and a settlement that
 * keeps the real tokens. The cross-replica rules are {@code AdmissionRedisIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAdmissionStoreIT {

    private static final long LEASE_MILLIS = 300;

    private final RedisServer redis = new RedisServer();
    private final RedisAdmissionStore store = new RedisAdmissionStore(new AdmissionProperties("redis", false, Duration.ofSeconds(2),
            Duration.ofMinutes(30), 64, 4096, Map.of(), new AdmissionProperties.Redis(URI.create(redis.uri()), Duration.ofSeconds(2))));
    private final RedisClient client = RedisClient.create(redis.uri());
    private final StatefulRedisConnection<String, String> connection = client.connect();
    private final RedisCommands<String, String> keys = connection.sync();

    @AfterAll
    void stop() {
        connection.close();
        client.shutdown();
        store.close();
        redis.close();
    }

    @Test
    void countersExpireWithTheirWindowSlotsWithTheirLeaseAndALimitNotSetLeavesNoKey() {
        String scope = "t:" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 2; i++) {
            assertThat(store.acquire(ask(scope, now, 100L, null, 5L)).admitted()).isTrue();
        }
        long window = now / MemoryAdmissionStore.WINDOW_MILLIS;

        assertThat(keys.get("maas:adm:" + scope + ":r:" + window)).isEqualTo("2");
        assertThat(keys.pttl("maas:adm:" + scope + ":r:" + window)).as("the requests counter expires after two windows")
                .isBetween(1L, 2 * MemoryAdmissionStore.WINDOW_MILLIS);
        assertThat(keys.pttl("maas:adm:" + scope + ":c")).as("the slots expire with the lease").isBetween(1L, LEASE_MILLIS);
        assertThat(keys.exists("maas:adm:" + scope + ":t:" + window)).as("no tokens limit, no tokens counter").isZero();
    }

    @Test
    void aSlotOfAGatewayThatDiedIsFreeOnceItsLeaseEnded() throws InterruptedException {
        String scope = "t:" + UUID.randomUUID();
        assertThat(store.acquire(ask(scope, System.currentTimeMillis(), null, null, 1L)).admitted()).isTrue(); // never settled

        Decision refused = store.acquire(ask(scope, System.currentTimeMillis(), null, null, 1L));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.refusedLimit()).isEqualTo(Limit.CONCURRENCY);
        assertThat(refused.inUse()).isOne();
        Thread.sleep(LEASE_MILLIS + 50);
        assertThat(store.acquire(ask(scope, System.currentTimeMillis(), null, null, 1L)).admitted()).as("the lapsed slot is free").isTrue();
    }

    @Test
    void aSettlementKeepsTheRealTokensAndFreesTheSlot() {
        String scope = "t:" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        Ask first = ask(scope, now, 10L, 1_000L, 1L);
        assertThat(store.acquire(first).tokensUsed()).containsExactly(400);

        store.settle(first.requestId(), 120, true);
        Decision second = store.acquire(ask(scope, now, 10L, 1_000L, 1L));

        assertThat(second.admitted()).as("the slot was freed").isTrue();
        assertThat(second.tokensUsed()).as("120 really used + this request's worst case").containsExactly(520);
        assertThat(second.requestsUsed()).containsExactly(2);
    }

    private static Ask ask(String scope, long nowMillis, Long requestsPerMinute, Long tokensPerMinute, Long maxConcurrent) {
        return new Ask(UUID.randomUUID().toString(), List.of(new ScopeLimits(scope, requestsPerMinute, tokensPerMinute, maxConcurrent)),
                400, nowMillis, LEASE_MILLIS);
    }
}
