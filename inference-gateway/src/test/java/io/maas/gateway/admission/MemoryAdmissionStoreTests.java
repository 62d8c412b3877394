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

    @Test
    void aRenewedSlotOutlivesItsFirstLeaseAndALapsedOneIsNeverRevived() {
        var one = List.of(new AdmissionStore.ScopeLimits("k:c", null, null, 1L));
        var another = List.of(new AdmissionStore.ScopeLimits("k:d", null, null, 1L));
        assertThat(store.acquire(new AdmissionStore.Ask("long", one, 10, 1_000, 1_000)).admitted()).isTrue();
        assertThat(store.acquire(new AdmissionStore.Ask("lapsing", another, 10, 1_000, 1_000)).admitted()).isTrue();

        store.renew(List.of("long"), 1_700, 1_000);
        store.renew(List.of("lapsing"), 2_100, 1_000); // too late: its lease ended at 2 000

        assertThat(store.acquire(new AdmissionStore.Ask("second", one, 10, 2_500, 1_000)).admitted())
                .as("the renewed request still holds the only slot past its first lease").isFalse();
        assertThat(store.acquire(new AdmissionStore.Ask("other", another, 10, 2_500, 1_000)).admitted())
                .as("a lapsed slot is free").isTrue();
        assertThat(store.acquire(new AdmissionStore.Ask("third", one, 10, 2_800, 1_000)).admitted())
                .as("free once the renewed lease ends").isTrue();
    }
}
