package io.maas.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdTests {

    @Test
    void anIdIs32HexDigitsThatStartWithTheMillisecondItWasMadeIn() {
        long before = System.currentTimeMillis();
        String id = RequestId.next();
        long after = System.currentTimeMillis();

        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(Long.parseLong(id.substring(0, 12), 16)).isBetween(before, after);
    }

    @Test
    void idsMadeLaterSortAfterIdsMadeEarlier() throws InterruptedException {
        String earlier = RequestId.next();
        Thread.sleep(2);
        String later = RequestId.next();

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void idsMadeInTheSameMillisecondDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RequestId.next());
        }

        assertThat(ids).hasSize(100_000);
    }
}
