package io.maas.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchedRefreshTests {

    private final List<List<?>> reads = new CopyOnWriteArrayList<>();

    @Test
    void keysAskedForTogetherAreReadInOneBatchEachOnce() {
        var refresh = new BatchedRefresh<Integer>("test", reads::add);

        for (int round = 0; round < 3; round++) {
            for (int key = 0; key < 500; key++) {
                refresh.ask(key);
            }
        }

        await().atMost(5, TimeUnit.SECONDS).until(() -> reads.stream().mapToInt(List::size).sum() == 500);
        assertThat(reads).as("one read for the 500 keys asked for three times within the linger").hasSize(1);
        assertThat(reads.getFirst()).doesNotHaveDuplicates();
    }

    @Test
    void aKeyAskedForWhileItIsBeingReadIsNotReadTwiceButIsReadAgainWhenAskedAfter() throws Exception {
        var reading = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var refresh = new BatchedRefresh<String>("test", keys -> {
            reads.add(keys);
            reading.countDown();
            awaitQuietly(release);
        });

        refresh.ask("tenant");
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
        refresh.ask("tenant"); // its read is running
        release.countDown();
        await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> reads.size() == 1);
        refresh.ask("tenant");

        await().atMost(5, TimeUnit.SECONDS).until(() -> reads.size() == 2);
    }

    @Test
    void aFailedReadOnlyMeansTheKeysCanBeAskedForAgain() {
        var refresh = new BatchedRefresh<String>("test", keys -> {
            reads.add(keys);
            if (reads.size() == 1) {
                throw new IllegalStateException("PostgreSQL is down");
            }
        });

        refresh.ask("tenant");
        await().atMost(5, TimeUnit.SECONDS).until(() -> reads.size() == 1);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            refresh.ask("tenant");
            assertThat(reads).hasSize(2);
        });
    }

    @Test
    void aSweepForgetsWhatIsUnusedAndAsksForWhatIsDue() {
        var refresh = new BatchedRefresh<String>("test", reads::add);
        Map<String, Integer> ages = new ConcurrentHashMap<>(Map.of("unused", 400, "due", 150, "fresh", 50));

        refresh.sweep(ages, age -> age > 300, age -> age > 100);

        assertThat(ages).containsOnlyKeys("due", "fresh");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !reads.isEmpty());
        assertThat(reads).containsExactly(List.of("due"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
