package io.maas.gateway.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OneAtATimeTests {

    private final OneAtATime work = new OneAtATime();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void aTurnDueWhileARunGoesOnIsSkippedAndACallerThatNeedsTheWorkWaitsForTheRun() throws Exception {
        Thread running = Thread.ofVirtual().start(() -> work.unlessRunning(() -> {
            ran.add("first");
            started.countDown();
            await(release);
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        work.unlessRunning(() -> ran.add("skipped"));
        Thread waiting = Thread.ofVirtual().start(() -> work.afterRunning(() -> ran.add("after")));
        Thread.sleep(100);
        assertThat(ran).as("the waiting caller has not run while the first run goes on").containsExactly("first");

        release.countDown();
        running.join();
        waiting.join();
        assertThat(ran).containsExactly("first", "after");
        work.unlessRunning(() -> ran.add("next turn"));
        assertThat(ran).as("once nothing runs, a turn runs").endsWith("next turn");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
