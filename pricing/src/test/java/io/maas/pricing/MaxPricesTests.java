package io.maas.pricing;

import static io.maas.pricing.TestBooks.MODEL;
import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.everyDay;
import static io.maas.pricing.TestBooks.version;
import static io.maas.pricing.TestBooks.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worst-case price per token class that admission control reserves for a request in [start, latest completion]. */
class MaxPricesTests {

    private final PriceBook deepseek2025 = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2025);

    @ParameterizedTest(name = "[{0}, {1}] reserves {2}/{3}/{4}")
    @CsvSource({
            "2025-03-03T16:00:00Z,     2025-03-03T16:10:00Z, 0.5,  2, 8",
            "2025-03-03T17:00:00Z,     2025-03-03T17:10:00Z, 0.25, 1, 4",
            "2025-03-03T16:25:00Z,     2025-03-03T16:35:00Z, 0.5,  2, 8",
            "2025-03-04T00:20:00Z,     2025-03-04T00:29:59.999Z, 0.25, 1, 4",
            "2025-03-04T00:20:00Z,     2025-03-04T00:30:00Z, 0.5,  2, 8",
            "2025-03-03T20:00:00Z,     2025-03-03T20:00:00Z, 0.25, 1, 4"
    })
    void byCompletionEveryTierInTheIntervalCounts(String start, String latestCompletion, String hit, String miss, String output) {
        assertThat(deepseek2025.maxPrices("deepseek-chat", Instant.parse(start), Instant.parse(latestCompletion)))
                .isEqualTo(cny(hit, miss, output));
    }

    @Test
    void byStartOnlyTheStartCounts() {
        PriceBook byStart = new PriceBook("by-start", DecidingInstant.START, deepseek2025.versions());

        assertThat(byStart.maxPrices("deepseek-reasoner", Instant.parse("2025-03-04T00:20:00Z"), Instant.parse("2025-03-04T01:20:00Z")))
                .isEqualTo(cny("0.25", "1", "4"));
    }

    @Test
    void deepseek2026FromFridayEveningToSaturdayIsOffPeakAfterSix() {
        PriceBook book = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);
        ZoneId beijing = ZoneId.of("Asia/Shanghai");
        Instant friday1800 = LocalDateTime.parse("2026-03-20T18:00").atZone(beijing).toInstant();

        assertThat(book.maxPrices("deepseek-flash", friday1800, friday1800.plusSeconds(16 * 3600)))
                .isEqualTo(cny("0.02", "1", "4"));
        assertThat(book.maxPrices("deepseek-flash", friday1800.minusMillis(1), friday1800.plusSeconds(60)))
                .isEqualTo(cny("0.04", "2", "8"));
    }

    @Test
    void aVersionComingIntoForceDuringTheRequestCounts() {
        PriceBook book = new PriceBook("book", null, List.of(
                version("v1", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "UTC", "standard"),
                version("v2", "2026-06-01T00:00:00Z", cny("1", "3", "4"), "UTC", "standard")));

        assertThat(book.maxPrices(MODEL, Instant.parse("2026-05-31T23:59:00Z"), Instant.parse("2026-05-31T23:59:59.999Z")))
                .isEqualTo(cny("1", "2", "4"));
        assertThat(book.maxPrices(MODEL, Instant.parse("2026-05-31T23:59:00Z"), Instant.parse("2026-06-01T00:00:00Z")))
                .isEqualTo(cny("1", "3", "4"));
    }

    @Test
    void eachTokenClassTakesItsOwnMaximum() {
        Tier cheapInputDearOutput = new Tier("night", List.of(everyDay(window("22:00", "06:00"))), null,
                Map.of(MODEL, TierPricing.absolute(cny("3", "1", "16"))));
        PriceBook book = PriceBook.of("book", null, version("v1", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "UTC", "day", cheapInputDearOutput));

        assertThat(book.maxPrices(MODEL, Instant.parse("2026-03-02T21:00:00Z"), Instant.parse("2026-03-02T23:00:00Z")))
                .isEqualTo(cny("3", "2", "16"));
    }

    @Test
    void aModelMissingFromAVersionInTheIntervalIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> deepseek2025.maxPrices("deepseek-flash", Instant.parse("2025-03-03T16:00:00Z"), Instant.parse("2025-03-03T16:10:00Z")))
                .withMessageContaining("no price for model 'deepseek-flash'");
    }
}
