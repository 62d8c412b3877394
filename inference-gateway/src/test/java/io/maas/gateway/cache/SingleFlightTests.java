package io.maas.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTests {

    @Test
    void aThousandCallersOfAKeyBeingLoadedShareOneLoad() throws Exception {
        var flight = new SingleFlight<String, Integer>();
        var loads = new AtomicInteger();
        var release = new CountDownLatch(1);
        List<Future<Integer>> callers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.add(threads.submit(() -> flight.load("key", () -> {
                loads.incrementAndGet();
                await(release);
                return 42;
            })));
            while (loads.get() == 0) {
                Thread.onSpinWait();
            }
            var entered = new CountDownLatch(999);
            for (int i = 0; i < 999; i++) {
                callers.add(threads.submit(() -> {
                    entered.countDown();
                    return flight.load("key", loads::incrementAndGet);
                }));
            }
            entered.await();
            Thread.sleep(200); // every caller is waiting for the load
            release.countDown();
        }
        for (Future<Integer> caller : callers) {
            assertThat(caller.get()).isEqualTo(42);
        }
        assertThat(loads).as("one load, not one per caller").hasValue(1);
    }

    @Test
    void aFailedLoadIsNotSharedAndTheNextCallLoadsAgain() {
        var flight = new SingleFlight<String, Integer>();
        assertThatThrownBy(() -> flight.load("key", () -> {
            throw new IllegalStateException("down");
        })).hasMessage("down");
        assertThat(flight.load("key", () -> 7)).isEqualTo(7);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
