package io.maas.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The built-in price books an admin can load by name, and the holiday calendars that ship with
 * this library.
 *
 * <p>A template is a resource {@code templates/<name>.json}: a price book plus the names of bundled
 * calendars ({@code calendars/<name>.json}, the format of {@code cn-2026.json}) that are merged and
 * set on every version's schedule. The loaded book carries the calendar's dates itself, so a stored
 * book never changes when a calendar file does; for another year an admin reads its calendar with
 * {@link PricingJson#readCalendar}, {@linkplain HolidayCalendar#merge merges} it and adds a new
 * version.
 */
public final class PriceBookTemplates {

    /**
     * deepseek-chat and deepseek-reasoner, off-peak UTC 16:30–00:30 every day (chat −50 %, reasoner −75 %); batches run
     * off-peak at half the off-peak prices (an assumption, as for deepseek-2026).
     */
    public static final String DEEPSEEK_2025 = "deepseek-2025";

    /**
     * deepseek-flash, peak Beijing Monday–Friday 09:00–12:00 and 14:00–18:00 on working days, off-peak half; batches
     * run off-peak at a quarter of the base prices (the off-peak half halved again, OpenAI's batch discount: DeepSeek
     * publishes no batch price, this is the platform's assumption).
     */
    public static final String DEEPSEEK_2026 = "deepseek-2026";

    /** The names {@link #load} knows. */
    public static final List<String> NAMES = List.of(DEEPSEEK_2025, DEEPSEEK_2026);

    private record Template(String description, List<String> calendars, PriceBook priceBook) {
    }

    private PriceBookTemplates() {
    }

    /** The template called {@code name}, with its calendars set. */
    public static PriceBook load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no price book template '" + name + "'; there are " + NAMES);
        }
        Template template = read("templates/" + name + ".json", Template.class);
        PriceBook book = template.priceBook();
        if (template.calendars() == null || template.calendars().isEmpty()) {
            return book;
        }
        HolidayCalendar calendar = template.calendars().stream().map(PriceBookTemplates::calendar).reduce(HolidayCalendar::merge).orElseThrow();
        return new PriceBook(book.name(), book.decidingInstant(), book.versions().stream()
                .map(version -> new PriceBookVersion(version.version(), version.effectiveFrom(), version.models(),
                        version.schedule().withCalendar(calendar), version.batch()))
                .toList());
    }

    /** A bundled holiday calendar, e.g. {@code cn-2026}. */
    public static HolidayCalendar calendar(String name) {
        return read("calendars/" + name + ".json", HolidayCalendar.class);
    }

    private static <T> T read(String resource, Class<T> type) {
        try (InputStream json = PriceBookTemplates.class.getResourceAsStream(resource)) {
            if (json == null) {
                throw new IllegalArgumentException("no bundled resource io/maas/pricing/" + resource);
            }
            return PricingJson.read(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
