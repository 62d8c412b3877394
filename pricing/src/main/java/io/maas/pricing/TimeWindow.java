package io.maas.pricing;

import java.time.LocalTime;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * A span of local wall-clock time: {@code start} inclusive, {@code end} exclusive.
 *
 * <p>A window whose end is not after its start wraps midnight: {@code 16:30–00:30} covers 16:30 up
 * to midnight on the day it opens and midnight up to 00:30 on the next day. The same rule makes
 * {@code start == end} a full 24 hours from {@code start}, so {@code 00:00–00:00} is the whole
 * day; a window is therefore never empty. Which days a window opens on is up to its
 * {@link TierRule}; the part after midnight belongs to the day the window opened.
 *
 * <p>Times are wall-clock times in the schedule's timezone, see {@link TierSchedule} for daylight
 * saving. In JSON they are ISO local times, written as short as {@code LocalTime#toString} makes them ("16:30").
 */
public record TimeWindow(
        @JsonSerialize(using = ToStringSerializer.class) LocalTime start,
        @JsonSerialize(using = ToStringSerializer.class) LocalTime end) {

    static final long NANOS_PER_DAY = LocalTime.MAX.toNanoOfDay() + 1;

    public TimeWindow {
        if (start == null) {
            throw new InvalidPriceBookException("start", "is required (local time, e.g. \"09:00\")");
        }
        if (end == null) {
            throw new InvalidPriceBookException("end", "is required (local time, e.g. \"18:00\")");
        }
    }

    /** Whether the window runs past midnight into the next day. */
    public boolean wrapsMidnight() {
        return !end.isAfter(start);
    }

    /** Whether {@code time} is in the part of the window on the day it opens. */
    boolean coversOnOpeningDay(LocalTime time) {
        return !time.isBefore(start) && (wrapsMidnight() || time.isBefore(end));
    }

    /** Whether {@code time} is in the part of a wrapping window on the day after it opened. */
    boolean coversOnNextDay(LocalTime time) {
        return wrapsMidnight() && time.isBefore(end);
    }

    /** Start in nanoseconds after the opening day's midnight. */
    long startNanos() {
        return start.toNanoOfDay();
    }

    /** End in nanoseconds after the opening day's midnight, past one day when the window wraps. */
    long endNanos() {
        return wrapsMidnight() ? end.toNanoOfDay() + NANOS_PER_DAY : end.toNanoOfDay();
    }

    @Override
    public String toString() {
        return start + "–" + end;
    }
}
