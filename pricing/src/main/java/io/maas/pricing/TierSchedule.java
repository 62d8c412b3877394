package io.maas.pricing;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tier applies at an instant.
 *
 * <p>The instant is turned into local date and wall-clock time in {@code timezone}; then, in this
 * order: on a {@link HolidayCalendar holiday} the holiday tier applies from 00:00 to 24:00; else the
 * first tier (in list order) with a rule covering that date and time; else the default tier. Rules
 * never overlap on a week (validated); should a make-up working day make two rules cover the same
 * time, the tier listed first wins.
 *
 * <p><b>Daylight saving.</b> Windows are wall-clock times, decided with the timezone's
 * {@code ZoneRules}: peak 09:00–18:00 is 09:00–18:00 on the clock all year. When clocks jump forward
 * (Europe/Berlin 2026-03-29, 02:00 → 03:00), wall-clock times in the gap never happen, so a window
 * edge in the gap takes effect at the jump (an edge at 02:30 acts at 03:00 CEST = 01:00Z) and a
 * window entirely in the gap does not apply that day. When clocks go back (2026-10-25,
 * 03:00 → 02:00), the repeated hour is matched by its wall-clock time both times it happens: a
 * window 02:00–03:00 applies for two real hours, 00:00Z–02:00Z.
 *
 * @param timezone    where the wall-clock times and dates are read
 * @param defaultTier the tier that applies when no rule does; it has no rules itself
 * @param holidayTier the tier for holidays (optional, defaults to the default tier)
 * @param tiers       all tiers, the default one included
 * @param calendar    holidays and make-up working days (optional, defaults to none)
 */
public record TierSchedule(ZoneId timezone, String defaultTier, String holidayTier, List<Tier> tiers, HolidayCalendar calendar) {

    private static final long NANOS_PER_DAY = TimeWindow.NANOS_PER_DAY;
    private static final long NANOS_PER_WEEK = 7 * NANOS_PER_DAY;
    /** How far around an instant its span's ends are looked for: local midnights are edges, so both lie within a day or so. */
    private static final Duration SPAN_SEARCH = Duration.ofDays(2);

    public TierSchedule {
        if (timezone == null) {
            throw new InvalidPriceBookException("timezone", "is required (a region id such as \"Asia/Shanghai\" or \"UTC\")");
        }
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
        calendar = calendar == null ? HolidayCalendar.NONE : calendar;
        if (tiers.isEmpty()) {
            throw new InvalidPriceBookException("tiers", "must have at least the default tier");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tiers.size(); i++) {
            if (!names.add(tiers.get(i).name())) {
                throw new InvalidPriceBookException("tiers[" + i + "].name", "tier '" + tiers.get(i).name() + "' is defined twice");
            }
        }
        if (defaultTier == null || !names.contains(defaultTier)) {
            throw new InvalidPriceBookException("defaultTier", "must name one of the tiers " + names + ", was " + quoted(defaultTier));
        }
        if (holidayTier != null && !names.contains(holidayTier)) {
            throw new InvalidPriceBookException("holidayTier", "must name one of the tiers " + names + ", was " + quoted(holidayTier));
        }
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            boolean isDefault = tier.name().equals(defaultTier);
            if (isDefault && !tier.rules().isEmpty()) {
                throw new InvalidPriceBookException("tiers[" + i + "].rules",
                        "the default tier '" + tier.name() + "' applies whenever no rule does and has no rules of its own");
            }
            if (!isDefault && !tier.name().equals(holidayTier) && tier.rules().isEmpty()) {
                throw new InvalidPriceBookException("tiers[" + i + "].rules",
                        "tier '" + tier.name() + "' never applies: give it a rule, or make it the default or the holiday tier");
            }
        }
        if (calendar.timezone() != null && !calendar.timezone().normalized().equals(timezone.normalized())) {
            throw new InvalidPriceBookException("calendar.timezone",
                    "calendar '" + calendar.name() + "' is for " + calendar.timezone() + " but the schedule is in " + timezone);
        }
        requireNoOverlap(tiers);
    }

    /** The tier in force at {@code instant}, by the rules in the class comment. */
    public Tier tierAt(Instant instant) {
        ZonedDateTime local = instant.atZone(timezone);
        LocalDate date = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        if (calendar.isHoliday(date)) {
            return tier(holidayTier != null ? holidayTier : defaultTier);
        }
        for (Tier tier : tiers) {
            for (TierRule rule : tier.rules()) {
                if (rule.covers(date, time, calendar)) {
                    return tier;
                }
            }
        }
        return tier(defaultTier);
    }

    /**
     * The tier in force at {@code instant} and the span around it in which it stays in force: the tier is constant
     * between two consecutive instants where it may change ({@link #changesBetween}), so it is the same at every
     * instant of {@code [from, until)}, the changes at or before and after {@code instant}.
     */
    public Span spanAt(Instant instant) {
        NavigableSet<Instant> changes = changesBetween(instant.minus(SPAN_SEARCH), instant.plus(SPAN_SEARCH));
        return new Span(tierAt(instant), changes.floor(instant), changes.higher(instant));
    }

    /** A tier and the span {@code [from, until)} of time in which it is in force without a break. */
    public record Span(Tier tier, Instant from, Instant until) {

        public boolean contains(Instant instant) {
            return !instant.isBefore(from) && instant.isBefore(until);
        }
    }

    /** The tier called {@code name}. */
    public Tier tier(String name) {
        return tiers.stream().filter(tier -> tier.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tier '" + name + "' in this schedule"));
    }

    /** The same schedule with {@code calendar} in place of its own. */
    public TierSchedule withCalendar(HolidayCalendar calendar) {
        return new TierSchedule(timezone, defaultTier, holidayTier, tiers, calendar);
    }

    /**
     * Every instant in {@code (from, to]} at which the tier may change: local midnights (days and
     * holidays change), window starts and ends (each occurrence, both of them in a repeated hour)
     * and the timezone's offset changes (which is where window edges inside a daylight-saving gap
     * take effect). Between two consecutive such instants the tier is constant, so looking at
     * {@code from} and at each of them sees every tier that applies in {@code [from, to]}.
     */
    NavigableSet<Instant> changesBetween(Instant from, Instant to) {
        ZoneRules rules = timezone.getRules();
        Set<LocalTime> edges = new HashSet<>();
        edges.add(LocalTime.MIDNIGHT);
        tiers.forEach(tier -> tier.rules().forEach(rule -> rule.windows().forEach(window -> {
            edges.add(window.start());
            edges.add(window.end());
        })));
        NavigableSet<Instant> changes = new TreeSet<>();
        LocalDate last = to.atZone(timezone).toLocalDate().plusDays(1);
        for (LocalDate date = from.atZone(timezone).toLocalDate().minusDays(1); !date.isAfter(last); date = date.plusDays(1)) {
            for (LocalTime edge : edges) {
                LocalDateTime local = date.atTime(edge);
                for (ZoneOffset offset : rules.getValidOffsets(local)) {
                    changes.add(local.toInstant(offset));
                }
            }
        }
        for (ZoneOffsetTransition jump = rules.nextTransition(from); jump != null && !jump.getInstant().isAfter(to);
                jump = rules.nextTransition(jump.getInstant())) {
            changes.add(jump.getInstant());
        }
        return changes.subSet(from, false, to, true);
    }

    private static void requireNoOverlap(List<Tier> tiers) {
        record Span(String field, DayOfWeek day, long start, long end) {
        }
        List<Span> spans = new ArrayList<>();
        for (int t = 0; t < tiers.size(); t++) {
            List<TierRule> rules = tiers.get(t).rules();
            for (int r = 0; r < rules.size(); r++) {
                List<TimeWindow> windows = rules.get(r).windows();
                for (int w = 0; w < windows.size(); w++) {
                    TimeWindow window = windows.get(w);
                    String field = "tiers[" + t + "].rules[" + r + "].windows[" + w + "]";
                    for (DayOfWeek day : rules.get(r).days()) {
                        long dayStart = day.ordinal() * NANOS_PER_DAY;
                        Span span = new Span(field, day, dayStart + window.startNanos(), dayStart + window.endNanos());
                        for (Span earlier : spans) {
                            if (overlapOnWeek(earlier.start, earlier.end, span.start, span.end)) {
                                throw new InvalidPriceBookException(field, "window " + window + " opening on " + day
                                        + " overlaps " + earlier.field + " opening on " + earlier.day);
                            }
                        }
                        spans.add(span);
                    }
                }
            }
        }
    }

    /** Whether two spans of at most a day overlap on the circle of a week (Sunday night runs into Monday). */
    private static boolean overlapOnWeek(long start1, long end1, long start2, long end2) {
        for (long shift = -NANOS_PER_WEEK; shift <= NANOS_PER_WEEK; shift += NANOS_PER_WEEK) {
            if (start1 < end2 + shift && start2 + shift < end1) {
                return true;
            }
        }
        return false;
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
