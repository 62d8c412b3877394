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
}
