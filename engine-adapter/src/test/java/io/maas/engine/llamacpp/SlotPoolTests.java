package io.maas.engine.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlotPoolTests {

    private static final int[] PROMPT = {1, 5, 6, 7, 8};

    @Test
    void anIdenticalPromptReusesAllButItsLastToken() throws InterruptedException {
        SlotPool pool = new SlotPool(1, 100);
        pool.release(pool.acquire(PROMPT), true);

        assertThat(pool.acquire(PROMPT).cachedTokens()).isEqualTo(4);
    }

    @Test
    void aLongerPromptReusesTheCommonPrefixAndAFreshSlotNothing() throws InterruptedException {
        SlotPool pool = new SlotPool(2, 100);
        SlotPool.Lease first = pool.acquire(PROMPT);
        assertThat(first.cachedTokens()).isZero();
        pool.release(first, true);

        SlotPool.Lease longer = pool.acquire(new int[] {1, 5, 6, 9, 9, 9});
        assertThat(longer.slot()).isEqualTo(first.slot());
        assertThat(longer.cachedTokens()).isEqualTo(3);
    }

    @Test
    void aSlotWhosePromptWasNotProcessedCountsAsEmpty() throws InterruptedException {
        SlotPool pool = new SlotPool(1, 100);
        pool.release(pool.acquire(PROMPT), false);

        assertThat(pool.acquire(PROMPT).cachedTokens()).isZero();
    }

    @Test
    void callersWaitForAFreeSlot() throws Exception {
        SlotPool pool = new SlotPool(1, 100);
        SlotPool.Lease held = pool.acquire(PROMPT);
        CompletableFuture<SlotPool.Lease> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.acquire(PROMPT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        pool.release(held, true);
        assertThat(waiting.get(5, TimeUnit.SECONDS).cachedTokens()).isEqualTo(4);
    }

    @Test
    void loadCountsSlotsInUseWaitersHeldPromptsAndPrefixHits() throws Exception {
        SlotPool pool = new SlotPool(2, 100);
        pool.release(pool.acquire(PROMPT), true);
        SlotPool.Lease a = pool.acquire(PROMPT);
        SlotPool.Lease b = pool.acquire(new int[] {9, 9});
        CompletableFuture<SlotPool.Lease> third = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.acquire(PROMPT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 100 && pool.load().waiting() == 0; i++) {
            Thread.sleep(10);
        }

        SlotPool.Load load = pool.load();
        assertThat(load.busy()).isEqualTo(2);
        assertThat(load.waiting()).isEqualTo(1);
        assertThat(load.kvCacheUsage()).isEqualTo((5 + 2) / 200.0);
        assertThat(load.prefixQueries()).isEqualTo(5 + 5 + 2);
        assertThat(load.prefixHits()).isEqualTo(4);
        pool.release(a, true);
        pool.release(b, false);
        pool.release(third.get(5, TimeUnit.SECONDS), true);
        assertThat(pool.load().busy()).isZero();
        assertThat(pool.load().kvCacheUsage()).isEqualTo(5 / 200.0);
    }
}
