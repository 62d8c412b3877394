package io.maas.pricing;

import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.everyDay;
import static io.maas.pricing.TestBooks.tier;
import static io.maas.pricing.TestBooks.usage;
import static io.maas.pricing.TestBooks.version;
import static io.maas.pricing.TestBooks.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A {@link PriceBook#pricer() pricer} charges exactly what {@link PriceBook#charge} charges, request after request in
 * any order: across both daylight-saving switches, window edges (one of them in the gap), holidays and make-up
 * working days, and a change of version.
 */
class PricerTests {

    private static final Duration STEP = Duration.ofMinutes(7).plusMillis(13_999);

    /** Europe/Berlin: clocks jump 02:00 → 03:00 on 2026-03-29 (01:00Z) and fall back 03:00 → 02:00 on 2026-10-25 (01:00Z). */
    private final PriceBook berlin = new PriceBook("berlin", DecidingInstant.COMPLETION, List.of(
            version("v1", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "Europe/Berlin", "day",
                    tier("night", "0.5", everyDay(window("22:00", "06:00"))), tier("witching", "2", everyDay(window("06:30", "07:15")))),
            version("v2", "2026-10-24T12:34:56Z", cny("1", "3", "5"), "Europe/Berlin", "standard",
                    tier("witching", "2", everyDay(window("02:30", "03:30"))))));

    @Test
    void aPricerChargesWhatTheBookChargesAcrossBothSwitchesInAnyOrder() {
        List<Instant> instants = new ArrayList<>();
        instants.addAll(every(STEP, "2026-03-27T00:00:00Z", "2026-03-31T00:00:00Z"));
        instants.addAll(every(STEP, "2026-10-23T00:00:00Z", "2026-10-27T00:00:00Z"));
        instants.addAll(List.of(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T00:59:59.999999999Z"),
                Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"), Instant.parse("2026-10-24T12:34:56Z"),
                Instant.parse("2026-10-24T12:34:55.999999999Z")));

        assertChargesAsTheBook(berlin, "m", instants);
        Collections.shuffle(instants, new Random(12));
        assertChargesAsTheBook(berlin, "m", instants);
    }

    @Test
    void aPricerChargesWhatTheBookChargesOverHolidaysAndMakeUpWorkingDays() {
        PriceBook deepSeek = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);
        List<Instant> instants = every(STEP, "2026-09-24T00:00:00Z", "2026-10-13T00:00:00Z"); // National Day, its make-up days

        assertChargesAsTheBook(deepSeek, "deepseek-flash", instants);
        Collections.shuffle(instants, new Random(26));
        assertChargesAsTheBook(deepSeek, "deepseek-flash", instants);
    }

    @Test
    void aSpanIsItsTierFromItsStartUpToItsEnd() {
        TierSchedule schedule = berlin.versions().getFirst().schedule();
        for (Instant instant : every(STEP, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z")) {
            TierSchedule.Span span = schedule.spanAt(instant);

            assertThat(span.contains(instant)).isTrue();
            assertThat(schedule.tierAt(span.from())).isEqualTo(span.tier());
            assertThat(schedule.tierAt(span.until().minusNanos(1))).isEqualTo(span.tier());
            assertThat(span.contains(span.until())).isFalse();
        }
    }

    private static void assertChargesAsTheBook(PriceBook book, String model, List<Instant> completions) {
        PriceBook.Pricer pricer = book.pricer();
        for (Instant completion : completions) {
            Instant start = completion.minusSeconds(1);
            for (PriceClass priceClass : PriceClass.values()) {
                assertThat(pricer.charge(model, model, start, completion, usage(3, 5, 7), priceClass))
                        .as("%s, %s", completion, priceClass)
                        .isEqualTo(book.charge(model, model, start, completion, usage(3, 5, 7), priceClass));
            }
        }
    }

    private static List<Instant> every(Duration step, String from, String to) {
        List<Instant> instants = new ArrayList<>();
        for (Instant at = Instant.parse(from); at.isBefore(Instant.parse(to)); at = at.plus(step)) {
            instants.add(at);
        }
        return instants;
    }
}
