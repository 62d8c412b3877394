package io.maas.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockLruTests {

    @Test
    void holdsExactlyWhatALinkedHashMapInAccessOrderHolds() {
        for (int capacity : new int[] {1, 2, 7, 37, 64}) {
            BlockLru lru = new BlockLru(capacity);
            Map<Long, Boolean> model = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > capacity;
                }
            };
            SplittableRandom random = new SplittableRandom(capacity);
            for (int step = 0; step < 20_000; step++) {
                long key = random.nextInt(capacity * 3) * 0x10000L; // clustered keys: long probe runs, many shifts
                lru.touch(key);
                model.put(key, Boolean.TRUE);
                assertThat(lru.size()).isEqualTo(model.size());
                long probe = random.nextInt(capacity * 3) * 0x10000L;
                assertThat(lru.contains(probe)).as("step %d, key %d", step, probe).isEqualTo(model.containsKey(probe));
            }
            for (long key = 0; key < capacity * 3; key++) {
                assertThat(lru.contains(key * 0x10000L)).isEqualTo(model.containsKey(key * 0x10000L));
            }
        }
    }

    @Test
    void clearForgetsEverything() {
        BlockLru lru = new BlockLru(8);
        for (long key = 0; key < 8; key++) {
            lru.touch(key);
        }
        lru.clear();
        assertThat(lru.size()).isZero();
        assertThat(lru.contains(3)).isFalse();
        lru.touch(3);
        assertThat(lru.contains(3)).isTrue();
    }

    @Test
    void resizingKeepsTheMostRecentlyUsedInOrder() {
        BlockLru lru = new BlockLru(8);
        for (long key = 0; key < 8; key++) {
            lru.touch(key);
        }
        lru.touch(0); // now the most recent: 1 is the least recently used

        BlockLru smaller = lru.resized(3);
        assertThat(smaller.capacity()).isEqualTo(3);
        assertThat(smaller.size()).isEqualTo(3);
        assertThat(smaller.contains(0)).isTrue();
        assertThat(smaller.contains(6)).isTrue();
        assertThat(smaller.contains(7)).isTrue();
        assertThat(smaller.contains(5)).isFalse();
        smaller.touch(100);
        assertThat(smaller.contains(6)).as("the least recent of the three went first").isFalse();

        BlockLru larger = lru.resized(16);
        assertThat(larger.size()).isEqualTo(8);
        for (long key = 100; key < 109; key++) { // one more than there is room for
            larger.touch(key);
        }
        assertThat(larger.contains(1)).as("still the least recently used after the copy").isFalse();
        assertThat(larger.contains(2)).isTrue();
        assertThat(larger.contains(0)).isTrue();
    }
}
