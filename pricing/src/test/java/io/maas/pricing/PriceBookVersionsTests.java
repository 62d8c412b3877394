package io.maas.pricing;

import static io.maas.pricing.TestBooks.MODEL;
import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.usage;
import static io.maas.pricing.TestBooks.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceBookVersionsTests {

    private static final PriceBookVersion JANUARY = version("2026-01", "2026-01-01T00:00:00Z", cny("1", "2", "4"), "UTC", "standard");
    private static final PriceBookVersion JUNE = version("2026-06", "2026-06-01T00:00:00Z", cny("2", "4", "8"), "UTC", "standard");

    private static PriceBook book(DecidingInstant decidingInstant) {
        return new PriceBook("book", decidingInstant, List.of(JANUARY, JUNE));
    }

    @Test
    void consecutiveRequestsArePricedByTheVersionInForceWhenTheyComplete() {
        PriceBook book = book(DecidingInstant.COMPLETION);

        Charge before = book.charge(MODEL, Instant.parse("2026-05-31T23:59:00Z"), Instant.parse("2026-05-31T23:59:59.999Z"), usage(0, 1_000_000, 0));
        Charge after = book.charge(MODEL, Instant.parse("2026-05-31T23:59:30Z"), Instant.parse("2026-06-01T00:00:00Z"), usage(0, 1_000_000, 0));

        assertThat(before.priceBookVersion()).isEqualTo("2026-01");
        assertThat(before.amount()).isEqualTo("2");
        assertThat(after.priceBookVersion()).isEqualTo("2026-06");
        assertThat(after.versionEffectiveFrom()).isEqualTo("2026-06-01T00:00:00Z");
        assertThat(after.amount()).isEqualTo("4");
    }

    @Test
    void byStartARequestSpanningTheSwitchKeepsTheOldVersion() {
        Charge spanning = book(DecidingInstant.START).charge(MODEL, Instant.parse("2026-05-31T23:59:30Z"), Instant.parse("2026-06-01T00:00:30Z"),
                usage(0, 1_000_000, 0));

        assertThat(spanning.priceBookVersion()).isEqualTo("2026-01");
        assertThat(spanning.pricedAt()).isEqualTo("2026-05-31T23:59:30Z");
        assertThat(spanning.amount()).isEqualTo("2");
    }

    @Test
    void theDecidingInstantPicksTheTierOfARequestSpanningATierBoundary() {
        PriceBook byCompletion = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2025);
        PriceBook byStart = new PriceBook(byCompletion.name(), DecidingInstant.START, byCompletion.versions());
        Instant start = Instant.parse("2025-03-03T16:29:00Z");
        Instant completion = Instant.parse("2025-03-03T16:31:00Z");
        TokenUsage usage = usage(0, 1_000_000, 1_000_000);

        assertThat(byCompletion.decidingInstant()).isEqualTo(DecidingInstant.COMPLETION);
        assertThat(byCompletion.charge("deepseek-chat", start, completion, usage))
                .extracting(Charge::tier, Charge::amount).map(Object::toString).containsExactly("off-peak", "5");
        assertThat(byStart.charge("deepseek-chat", start, completion, usage))
                .extracting(Charge::tier, Charge::amount).map(Object::toString).containsExactly("peak", "10");
    }

    @Test
    void aNewVersionIsAppendedFromItsInstantOn() {
        PriceBook book = new PriceBook("book", null, List.of(JANUARY)).withVersion(JUNE, Instant.parse("2026-05-15T00:00:00Z"));

        assertThat(book.versions()).containsExactly(JANUARY, JUNE);
        assertThat(book.versionAt(Instant.parse("2026-05-31T23:59:59.999Z"))).isEqualTo(JANUARY);
        assertThat(book.versionAt(Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(JUNE);
    }

    @Test
    void historyIsNeverEdited() {
        PriceBook book = book(DecidingInstant.COMPLETION);
        PriceBookVersion march = version("2026-03", "2026-03-01T00:00:00Z", cny("9", "9", "9"), "UTC", "standard");
        PriceBookVersion july = version("2026-07", "2026-07-01T00:00:00Z", cny("9", "9", "9"), "UTC", "standard");

        assertThatThrownBy(() -> book.withVersion(march, Instant.parse("2026-02-01T00:00:00Z")))
                .isInstanceOf(InvalidPriceBookException.class)
                .hasMessageContaining("versions[2].effectiveFrom").hasMessageContaining("not after the latest version '2026-06'");
        assertThatThrownBy(() -> book.withVersion(july, Instant.parse("2026-07-02T00:00:00Z")))
                .isInstanceOf(InvalidPriceBookException.class).hasMessageContaining("is in the past");
        assertThatThrownBy(() -> new PriceBook("book", null, List.of(JUNE, JANUARY)))
                .isInstanceOf(InvalidPriceBookException.class)
                .hasMessageStartingWith("versions[1].effectiveFrom: 2026-01-01T00:00:00Z is not after the previous version's");
        assertThatThrownBy(() -> new PriceBook("book", null, List.of(JANUARY,
                version("2026-01", "2026-02-01T00:00:00Z", cny("1", "1", "1"), "UTC", "standard"))))
                .isInstanceOf(InvalidPriceBookException.class).hasMessageContaining("version '2026-01' appears twice");
    }

    @Test
    void completionBeforeStartIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> book(DecidingInstant.COMPLETION)
                        .charge(MODEL, Instant.parse("2026-03-01T00:00:01Z"), Instant.parse("2026-03-01T00:00:00Z"), usage(1, 1, 1)))
                .withMessageContaining("is before start");
    }
}
