package io.maas.pricing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Official holidays and make-up working days, in the JSON format of
 * {@code shared/fixtures/calendars/cn-2026.json} (read it with {@link PricingJson#readCalendar}).
 *
 * <p>A <b>holiday</b> is a local date on which the schedule's holiday tier applies from 00:00 to
 * 24:00. A <b>make-up working day</b> is a weekend date that counts as a working day (China moves
 * working days onto weekends around long holidays). Dates are local dates in the schedule's
 * timezone; {@code timezone}, when given, says which one the calendar was made for, and a schedule
 * in another timezone refuses it.
 *
 * @param name               what the calendar is, e.g. "China statutory holidays 2026"
 * @param source             where its dates come from (optional)
 * @param timezone           the timezone its dates are meant in (optional)
 * @param holidays           holiday periods, both ends inclusive
 * @param makeUpWorkingDays  Saturdays and Sundays that count as working days
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HolidayCalendar(String name, String source, ZoneId timezone, List<Holiday> holidays, List<LocalDate> makeUpWorkingDays) {

    private static final Set<DayOfWeek> WORKING_DAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    /** No holidays and no make-up working days. */
    public static final HolidayCalendar NONE = new HolidayCalendar("none", null, null, List.of(), List.of());

    /** A period of holiday, {@code from} and {@code to} inclusive. */
    public record Holiday(LocalDate from, LocalDate to, String name) {

        public Holiday {
            if (from == null || to == null) {
                throw new InvalidPriceBookException(from == null ? "from" : "to", "is required (a date, e.g. \"2026-10-01\")");
            }
            if (to.isBefore(from)) {
                throw new InvalidPriceBookException("to", "holiday '" + name + "' ends (" + to + ") before it starts (" + from + ")");
            }
        }

        boolean includes(LocalDate date) {
            return !date.isBefore(from) && !date.isAfter(to);
        }
    }

    public HolidayCalendar {
        if (name == null || name.isBlank()) {
            throw new InvalidPriceBookException("name", "is required");
        }
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
        makeUpWorkingDays = makeUpWorkingDays == null ? List.of() : makeUpWorkingDays.stream().sorted().distinct().toList();
        for (int i = 0; i < makeUpWorkingDays.size(); i++) {
            LocalDate day = makeUpWorkingDays.get(i);
            if (WORKING_DAYS.contains(day.getDayOfWeek())) {
                throw new InvalidPriceBookException("makeUpWorkingDays[" + i + "]",
                        day + " is a " + day.getDayOfWeek() + ", already a working day; make-up working days are Saturdays or Sundays");
            }
            for (Holiday holiday : holidays) {
                if (holiday.includes(day)) {
                    throw new InvalidPriceBookException("makeUpWorkingDays[" + i + "]",
                            day + " is also a holiday (" + holiday.name() + "); a date is either a holiday or a working day");
                }
            }
        }
    }

    /** Whether {@code date} is a holiday. */
    public boolean isHoliday(LocalDate date) {
        return holidays.stream().anyMatch(holiday -> holiday.includes(date));
    }

    /** Whether {@code date} is a make-up working day. */
    public boolean isMakeUpWorkingDay(LocalDate date) {
        return makeUpWorkingDays.contains(date);
    }

    /**
     * The days of the week {@code date} counts as when a {@link TierRule} decides whether its
     * windows open: Monday–Friday for a make-up working day, else the date's own day of the week.
     */
    Set<DayOfWeek> countsAs(LocalDate date) {
        return isMakeUpWorkingDay(date) ? WORKING_DAYS : EnumSet.of(date.getDayOfWeek());
    }

    /**
     * This calendar and {@code other} as one, e.g. 2026 and 2027; both must be meant for the same
     * timezone (or leave it open).
     */
    public HolidayCalendar merge(HolidayCalendar other) {
        if (timezone != null && other.timezone != null && !timezone.equals(other.timezone)) {
            throw new InvalidPriceBookException("timezone", "cannot merge calendars for " + timezone + " and " + other.timezone);
        }
        List<Holiday> allHolidays = new ArrayList<>(holidays);
        allHolidays.addAll(other.holidays);
        return new HolidayCalendar(name + " + " + other.name, null, timezone != null ? timezone : other.timezone, allHolidays,
                Stream.concat(makeUpWorkingDays.stream(), other.makeUpWorkingDays.stream()).toList());
    }
}
