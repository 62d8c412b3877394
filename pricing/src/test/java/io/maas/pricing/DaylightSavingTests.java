package io.maas.pricing;

import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.everyDay;
import static io.maas.pricing.TestBooks.tier;
import static io.maas.pricing.TestBooks.version;
import static io.maas.pricing.TestBooks.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Europe/Berlin: clocks jump 02:00 → 03:00 on 2026-03-29 (01:00Z) and fall back 03:00 → 02:00 on 2026-10-25 (01:00Z). */
class DaylightSavingTests {

    private static String tierAt(PriceBookVersion version, String instant) {
        return version.schedule().tierAt(Instant.parse(instant)).name();
    }

    private final PriceBookVersion nights = version("v", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "Europe/Berlin", "day",
            tier("night", "0.5", everyDay(window("22:00", "06:00"))));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2026-03-28T04:59:59.999Z, night",
            "2026-03-28T05:00:00Z,     day",
            "2026-03-28T20:59:59.999Z, day",
            "2026-03-28T21:00:00Z,     night",
            "2026-03-29T03:59:59.999Z, night",
            "2026-03-29T04:00:00Z,     day",
            "2026-10-24T03:59:59.999Z, night",
            "2026-10-24T04:00:00Z,     day",
            "2026-10-24T19:59:59.999Z, day",
            "2026-10-24T20:00:00Z,     night",
            "2026-10-25T04:59:59.999Z, night",
            "2026-10-25T05:00:00Z,     day"
    })
    void windowsFollowTheWallClockAcrossBothSwitches(String instant, String tier) {
        assertThat(tierAt(nights, instant)).isEqualTo(tier);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2026-03-29T00:59:59.999Z, standard",
            "2026-03-29T01:00:00Z,     standard",
            "2026-03-30T00:00:00Z,     witching",
            "2026-10-24T23:59:59.999Z, standard",
            "2026-10-25T00:00:00Z,     witching",
            "2026-10-25T00:59:59.999Z, witching",
            "2026-10-25T01:00:00Z,     witching",
            "2026-10-25T01:59:59.999Z, witching",
            "2026-10-25T02:00:00Z,     standard"
    })
    void aWindowInTheGapNeverAppliesAndTheRepeatedHourAppliesTwice(String instant, String tier) {
        PriceBookVersion twoToThree = version("v", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "Europe/Berlin", "standard",
                tier("witching", "2", everyDay(window("02:00", "03:00"))));

        assertThat(tierAt(twoToThree, instant)).isEqualTo(tier);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2026-03-29T00:59:59.999Z, standard",
            "2026-03-29T01:00:00Z,     witching",
            "2026-03-29T01:29:59.999Z, witching",
            "2026-03-29T01:30:00Z,     standard"
    })
    void aWindowStartInTheGapTakesEffectAtTheJump(String instant, String tier) {
        PriceBookVersion halfPastTwo = version("v", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "Europe/Berlin", "standard",
                tier("witching", "2", everyDay(window("02:30", "03:30"))));

        assertThat(tierAt(halfPastTwo, instant)).isEqualTo(tier);
    }

    @Test
    void reservationAcrossTheJumpSeesTheWindowThatStartsInTheGap() {
        PriceBook book = PriceBook.of("berlin", DecidingInstant.COMPLETION, version("v", "2026-01-01T00:00:00Z", cny("1", "2", "4"),
                "Europe/Berlin", "standard", tier("witching", "2", everyDay(window("02:30", "03:30")))));

        assertThat(book.maxPrices(TestBooks.MODEL, Instant.parse("2026-03-29T00:50:00Z"), Instant.parse("2026-03-29T00:59:59Z")))
                .isEqualTo(cny("1", "2", "4"));
        assertThat(book.maxPrices(TestBooks.MODEL, Instant.parse("2026-03-29T00:50:00Z"), Instant.parse("2026-03-29T01:00:00Z")))
                .isEqualTo(cny("2", "4", "8"));
    }
}
