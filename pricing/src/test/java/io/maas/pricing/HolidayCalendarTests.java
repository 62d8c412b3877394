package io.maas.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HolidayCalendarTests {

    private static final String FIXTURE = "shared/fixtures/calendars/cn-2026.json";

    /** The shared fixture, looked for in the working directory and its parents (module or repository root). */
    private static Optional<Path> sharedFixture() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(FIXTURE))) {
                return Optional.of(dir.resolve(FIXTURE));
            }
        }
        return Optional.empty();
    }

    @Test
    void bundledCalendarIsAnExactCopyOfTheSharedFixture() throws IOException {
        Optional<Path> fixture = sharedFixture();
        assumeTrue(fixture.isPresent(), "the shared fixture is not in this checkout");

        try (InputStream bundled = PriceBookTemplates.class.getResourceAsStream("calendars/cn-2026.json")) {
            assertThat(bundled).isNotNull();
            assertThat(bundled.readAllBytes()).isEqualTo(Files.readAllBytes(fixture.get()));
        }
    }

    @Test
    void readsTheStateCouncilFormat() {
        HolidayCalendar calendar = PriceBookTemplates.calendar("cn-2026");

        assertThat(calendar.name()).isEqualTo("China statutory holidays 2026");
        assertThat(calendar.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(calendar.isHoliday(LocalDate.parse("2026-10-01"))).isTrue();
        assertThat(calendar.isHoliday(LocalDate.parse("2026-10-07"))).isTrue();
        assertThat(calendar.isHoliday(LocalDate.parse("2026-10-08"))).isFalse();
        assertThat(calendar.isMakeUpWorkingDay(LocalDate.parse("2026-09-20"))).isTrue();
        assertThat(calendar.isMakeUpWorkingDay(LocalDate.parse("2026-09-19"))).isFalse();
    }

    @Test
    void anotherYearIsMergedIn() {
        HolidayCalendar y2027 = PricingJson.readCalendar("""
                {"name": "2027 (test)", "timezone": "Asia/Shanghai",
                 "holidays": [{"from": "2027-01-01", "to": "2027-01-01", "name": "New Year's Day"}],
                 "makeUpWorkingDays": ["2027-02-20"]}
                """);

        HolidayCalendar both = PriceBookTemplates.calendar("cn-2026").merge(y2027);

        assertThat(both.isHoliday(LocalDate.parse("2026-01-02"))).isTrue();
        assertThat(both.isHoliday(LocalDate.parse("2027-01-01"))).isTrue();
        assertThat(both.makeUpWorkingDays()).hasSize(7).contains(LocalDate.parse("2027-02-20"));
    }

    @Test
    void makeUpWorkingDaysAreWeekendDatesThatAreNoHolidays() {
        assertThatThrownBy(() -> new HolidayCalendar("c", null, null, List.of(), List.of(LocalDate.parse("2026-09-21"))))
                .isInstanceOf(InvalidPriceBookException.class)
                .hasMessage("makeUpWorkingDays[0]: 2026-09-21 is a MONDAY, already a working day; make-up working days are Saturdays or Sundays");
        assertThatThrownBy(() -> new HolidayCalendar("c", null, null,
                List.of(new HolidayCalendar.Holiday(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-07"), "National Day")),
                List.of(LocalDate.parse("2026-10-03"))))
                .isInstanceOf(InvalidPriceBookException.class).hasMessageContaining("is also a holiday (National Day)");
        assertThatThrownBy(() -> new HolidayCalendar.Holiday(LocalDate.parse("2026-10-07"), LocalDate.parse("2026-10-01"), "backwards"))
                .isInstanceOf(InvalidPriceBookException.class).hasMessageStartingWith("to: holiday 'backwards' ends");
    }

    @Test
    void aScheduleRefusesACalendarForAnotherTimezone() {
        TierSchedule berlin = new TierSchedule(ZoneId.of("Europe/Berlin"), "standard", null, List.of(TestBooks.tier("standard", "1")), null);

        assertThatThrownBy(() -> berlin.withCalendar(PriceBookTemplates.calendar("cn-2026")))
                .isInstanceOf(InvalidPriceBookException.class)
                .hasMessage("calendar.timezone: calendar 'China statutory holidays 2026' is for Asia/Shanghai but the schedule is in Europe/Berlin");
    }
}
