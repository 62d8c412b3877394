package io.maas.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryAdmissionStoreTests {

    private static final long MINUTE = MemoryAdmissionStore.WINDOW_MILLIS;

    private final MemoryAdmissionStore store = new MemoryAdmissionStore();

    @Test
    void aRequestAskingWithAnOlderInstantNeverForgetsTheCurrentWindow() {
        var limits = List.of(new AdmissionStore.ScopeLimits("k:a", 1L, null, null));
        var other = List.of(new AdmissionStore.ScopeLimits("k:b", 5L, null, null));

        assertThat(store.acquire(new AdmissionStore.Ask("r1", limits, 10, 10 * MINUTE + 1_000, MINUTE)).admitted()).isTrue();
        store.acquire(new AdmissionStore.Ask("r2", other, 10, 7 * MINUTE, MINUTE)); // a late arrival from an old minute

        assertThat(store.acquire(new AdmissionStore.Ask("r3", limits, 10, 10 * MINUTE + 2_000, MINUTE)).admitted())
                .as("the current minute's count of key a was kept").isFalse();
    }
}
