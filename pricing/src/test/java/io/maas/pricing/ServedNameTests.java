package io.maas.pricing;

import static io.maas.pricing.TestBooks.MODEL;
import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A private deployment's served name is priced as its catalog model unless the book names it. */
class ServedNameTests {

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    private static PriceBookVersion version(String id, String from, Map<String, ModelPrices> models) {
        return new PriceBookVersion(id, Instant.parse(from), models, new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(TestBooks.tier("standard", "1")), null));
    }

    @Test
    void aServedNameIsPricedAsItsCatalogModel() {
        PriceBook book = PriceBook.of("b", DecidingInstant.COMPLETION, version("v1", "2026-01-01T00:00:00Z", Map.of(MODEL, cny("1", "2", "4"))));

        Charge charge = book.charge("acme-r1", MODEL, AT, AT, usage(0, 1_000_000, 0));

        assertThat(charge.model()).isEqualTo(MODEL);
        assertThat(charge.amount()).isEqualTo("2");
    }

    @Test
    void thePriceOfTheServedNameItselfWins() {
        PriceBook book = PriceBook.of("b", DecidingInstant.COMPLETION, version("v1", "2026-01-01T00:00:00Z",
                Map.of(MODEL, cny("1", "2", "4"), "acme-r1", cny("0", "0", "0"))));

        Charge charge = book.charge("acme-r1", MODEL, AT, AT, usage(0, 1_000_000, 0));

        assertThat(charge.model()).isEqualTo("acme-r1");
        assertThat(charge.amount()).isEqualTo("0");
    }

    @Test
    void aNameNeitherPricedNorOfAPricedCatalogModelIsNotPriced() {
        PriceBook book = PriceBook.of("b", DecidingInstant.COMPLETION, version("v1", "2026-01-01T00:00:00Z", Map.of(MODEL, cny("1", "2", "4"))));

        assertThatIllegalArgumentException().isThrownBy(() -> book.charge("acme-x", "other", AT, AT, usage(0, 1, 0)))
                .withMessageContaining("'other'");
        assertThat(book.pricesFrom(AT, "acme-x", "other")).isFalse();
        assertThat(book.pricesFrom(AT, "acme-r1", MODEL)).isTrue();
    }

    @Test
    void aLaterVersionThatDropsTheModelMakesItUnpricedFromNowOn() {
        PriceBook book = new PriceBook("b", DecidingInstant.COMPLETION, List.of(
                version("v1", "2026-01-01T00:00:00Z", Map.of(MODEL, cny("1", "2", "4"))),
                version("v2", "2027-01-01T00:00:00Z", Map.of("other", cny("1", "2", "4")))));

        assertThat(book.pricesFrom(AT, "acme-r1", MODEL)).isFalse();
        assertThat(book.pricesFrom(Instant.parse("2025-06-01T00:00:00Z"), "other", "other")).isFalse();
        assertThat(book.pricesFrom(Instant.parse("2027-02-01T00:00:00Z"), "other", "other")).isTrue();
    }
}
