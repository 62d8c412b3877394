package io.maas.pricing;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When a tier applies: on the given days of the week, during the given local time windows.
 *
 * <p><b>Days are opening days.</b> A window belongs to the day it opens: the deepseek-2025 rule
 * "every day 16:30–00:30 UTC" covers Saturday 00:00–00:30 because Friday's window opened on
 * Friday; a rule for {@code FRIDAY} only, with the same window, would cover Friday 16:30 up to
 * Saturday 00:30 and nothing of Friday 00:00–00:30.
 *
 * <p>Which day of the week a date counts as comes from the schedule's {@link HolidayCalendar}: a
 * make-up working day counts as a working day, i.e. a window opens on it when its rule has any of
 * Monday–Friday; any other date counts as its own day of the week (holidays too: they do not stop
 * windows from opening, the holiday tier simply overrides the holiday's own date, see
 * {@link TierSchedule}).
 */
public record TierRule(Set<DayOfWeek> days, List<TimeWindow> windows) {

    public TierRule {
        if (days == null || days.isEmpty()) {
            throw new InvalidPriceBookException("days", "must name at least one day of the week (MONDAY … SUNDAY)");
        }
        if (windows == null || windows.isEmpty()) {
            throw new InvalidPriceBookException("windows", "must have at least one time window (00:00–00:00 is the whole day)");
        }
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
        windows = List.copyOf(windows);
    }

    /** Whether the rule covers local {@code time} on local {@code date}. */
    boolean covers(LocalDate date, LocalTime time, HolidayCalendar calendar) {
        boolean opensToday = opensOn(date, calendar);
        boolean openedYesterday = opensOn(date.minusDays(1), calendar);
        for (TimeWindow window : windows) {
            if (opensToday && window.coversOnOpeningDay(time) || openedYesterday && window.coversOnNextDay(time)) {
                return true;
            }
        }
        return false;
    }

    private boolean opensOn(LocalDate date, HolidayCalendar calendar) {
        return !Collections.disjoint(days, calendar.countsAs(date));
    }
}
