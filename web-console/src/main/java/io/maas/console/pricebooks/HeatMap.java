package io.maas.console.pricebooks;

import io.maas.pricing.HolidayCalendar;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.Tier;
import io.maas.pricing.TierSchedule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A week × 24 hours of one price book, per model: which tier applies at the start of each hour, in
 * the book's own time zone, asked of the pricing library (the same {@link TierSchedule#tierAt} that
 * prices every request), with the week's holidays and make-up working days marked.
 *
 * @param zone   the book's time zone in the chosen week
 * @param monday the week's first day
 * @param days   seven rows, Monday first
 * @param models one grid per model the book prices that week
 */
record HeatMap(ZoneId zone, LocalDate monday, List<Day> days, List<ModelGrid> models) {

    /** A row's date and what the calendar says of it. */
    record Day(LocalDate date, boolean holiday, String holidayName, boolean makeUpWorkingDay) {
    }

    /** One hour's tier and the model's output price in it; {@code tier} empty before the book's first version. */
    record Cell(int hour, String tier, int tierIndex, String outputPrice) {
    }

    /** A model's grid (rows are {@link #days}) and the tiers it shows, with their prices. */
    record ModelGrid(String model, String currency, List<List<Cell>> rows, List<Legend> legend) {
    }

    record Legend(String tier, int tierIndex, String cacheHit, String cacheMiss, String output) {
    }

    /** The week of {@code anyDay} (Monday to Sunday in the book's zone). */
    static HeatMap of(PriceBook book, LocalDate anyDay) {
        LocalDate monday = anyDay.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        PriceBookVersion reference = versionAround(book, monday);
        ZoneId zone = reference.schedule().timezone();
        HolidayCalendar calendar = reference.schedule().calendar();
        List<Day> days = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            LocalDate date = monday.plusDays(d);
            String holiday = calendar.holidays().stream().filter(h -> !date.isBefore(h.from()) && !date.isAfter(h.to()))
                    .map(HolidayCalendar.Holiday::name).findFirst().orElse(null);
            days.add(new Day(date, holiday != null, holiday, calendar.isMakeUpWorkingDay(date)));
        }
        Set<String> models = new LinkedHashSet<>();
        book.versions().forEach(v -> models.addAll(v.models().keySet()));
        List<ModelGrid> grids = new ArrayList<>();
        for (String model : models) {
            List<List<Cell>> rows = new ArrayList<>();
            List<Legend> legend = new ArrayList<>();
            String currency = null;
            for (Day day : days) {
                List<Cell> row = new ArrayList<>();
                for (int hour = 0; hour < 24; hour++) {
                    Instant at = day.date().atTime(hour, 0).atZone(zone).toInstant();
                    Optional<PriceBookVersion> version = inForce(book, at).filter(v -> v.models().containsKey(model));
                    if (version.isEmpty()) {
                        row.add(new Cell(hour, "", -1, ""));
                        continue;
                    }
                    TierSchedule schedule = version.get().schedule();
                    Tier tier = schedule.tierAt(at);
                    int index = schedule.tiers().indexOf(tier);
                    ModelPrices prices = version.get().prices(model, tier);
                    currency = prices.currency().name();
                    row.add(new Cell(hour, tier.name(), index, prices.output().toPlainString()));
                    if (legend.stream().noneMatch(l -> l.tier().equals(tier.name()))) {
                        legend.add(new Legend(tier.name(), index, prices.cacheHit().toPlainString(), prices.cacheMiss().toPlainString(),
                                prices.output().toPlainString()));
                    }
                }
                rows.add(row);
            }
            grids.add(new ModelGrid(model, currency, rows, legend));
        }
        return new HeatMap(zone, monday, days, grids);
    }

    private static Optional<PriceBookVersion> inForce(PriceBook book, Instant at) {
        return at.isBefore(book.versions().getFirst().effectiveFrom()) ? Optional.empty() : Optional.of(book.versionAt(at));
    }

    /** The version whose zone and calendar label the week: the one in force at its start, else the first. */
    private static PriceBookVersion versionAround(PriceBook book, LocalDate monday) {
        Instant start = monday.atStartOfDay(book.versions().getFirst().schedule().timezone()).toInstant();
        return inForce(book, start).orElse(book.versions().getFirst());
    }
}
