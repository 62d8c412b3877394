package io.maas.pricing;

import static io.maas.pricing.TestBooks.tier;
import static io.maas.pricing.TestBooks.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A window belongs to the day it opens on; holidays override their own date only; make-up working
 * days open weekday windows. UTC, week of 2026-09-14 (Monday); 2026-09-18 (Friday) is a holiday in
 * the test calendar, 2026-09-20 (Sunday) a make-up working day.
 */
class OpeningDayTests {

    private static final HolidayCalendar CALENDAR = new HolidayCalendar("test", null, null,
            List.of(new HolidayCalendar.Holiday(LocalDate.parse("2026-09-18"), LocalDate.parse("2026-09-18"), "holiday")),
            List.of(LocalDate.parse("2026-09-20")));

    private static final TierSchedule SCHEDULE = new TierSchedule(ZoneId.of("UTC"), "day", "holiday", List.of(
            tier("day", "1"),
            tier("holiday", "0.5"),
            new Tier("late", List.of(new TierRule(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), List.of(window("22:00", "02:00")))),
                    TierPricing.multiplier(new BigDecimal("1.5")), Map.of())),
            CALENDAR);

    @ParameterizedTest(name = "{0} is {1}: {2}")
    @CsvSource({
            "2026-09-14T01:00:00Z, day,     Monday early: Sunday opens no weekday window",
            "2026-09-14T22:00:00Z, late,    Monday's window opens",
            "2026-09-15T01:59:59.999Z, late, Monday's window after midnight",
            "2026-09-15T02:00:00Z, day,     end is exclusive",
            "2026-09-17T23:00:00Z, late,    Thursday's window opens on the eve of the holiday",
            "2026-09-18T00:30:00Z, holiday, the holiday overrides its own date from 00:00",
            "2026-09-18T23:00:00Z, holiday, the holiday overrides its own date to 24:00",
            "2026-09-19T01:00:00Z, late,    the window that opened on the holiday (a Friday) runs past midnight",
            "2026-09-19T22:00:00Z, day,     Saturday opens no weekday window",
            "2026-09-20T22:00:00Z, late,    the make-up working Sunday counts as a weekday",
            "2026-09-21T01:00:00Z, late,    and its window runs into Monday"
    })
    void tierAt(String instant, String tier, String why) {
        assertThat(SCHEDULE.tierAt(Instant.parse(instant)).name()).as(why).isEqualTo(tier);
    }
}
