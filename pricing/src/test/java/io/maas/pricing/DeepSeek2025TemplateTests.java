package io.maas.pricing;

import static io.maas.pricing.TestBooks.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepSeek2025TemplateTests {

    private final PriceBook book = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2025);

    private String tierAt(String instant) {
        return book.quote("deepseek-chat", Instant.parse(instant), usage(0, 0, 1)).tier();
    }

    @ParameterizedTest
    @CsvSource({
            "2025-03-03T16:29:59.999Z, peak",
            "2025-03-03T16:30:00Z,     off-peak",
            "2025-03-03T23:59:59.999Z, off-peak",
            "2025-03-04T00:00:00Z,     off-peak",
            "2025-03-04T00:29:59.999Z, off-peak",
            "2025-03-04T00:30:00Z,     peak",
            "2025-03-08T00:10:00Z,     off-peak",
            "2025-03-09T12:00:00Z,     peak"
    })
    void offPeakIsUtc1630To0030EveryDayWrappingMidnight(String instant, String tier) {
        assertThat(tierAt(instant)).isEqualTo(tier);
    }

    @Test
    void chatIsHalfPriceOffPeakExactly() {
        TokenUsage usage = usage(123_457, 1_234_567, 7_654_321);

        Charge peak = book.quote("deepseek-chat", Instant.parse("2025-03-03T16:29:59.999Z"), usage);
        Charge offPeak = book.quote("deepseek-chat", Instant.parse("2025-03-03T16:30:00Z"), usage);

        assertThat(peak.amount()).isEqualTo("63.7654305");
        assertThat(offPeak.amount()).isEqualTo("31.88271525");
        assertThat(offPeak.lines()).extracting(ChargeLine::pricePerMillion)
                .containsExactly(new BigDecimal("0.25"), new BigDecimal("1"), new BigDecimal("4"));
        assertThat(offPeak.currency()).isEqualTo(Currency.CNY);
    }

    @Test
    void reasonerIsQuarterPriceOffPeakExactly() {
        TokenUsage usage = usage(123_457, 1_234_567, 7_654_321);

        Charge peak = book.quote("deepseek-reasoner", Instant.parse("2025-03-04T00:30:00Z"), usage);
        Charge offPeak = book.quote("deepseek-reasoner", Instant.parse("2025-03-04T00:29:59.999Z"), usage);

        assertThat(peak.tier()).isEqualTo("peak");
        assertThat(peak.amount()).isEqualTo("127.530861");
        assertThat(offPeak.tier()).isEqualTo("off-peak");
        assertThat(offPeak.amount()).isEqualTo("31.88271525");
        assertThat(offPeak.lines()).extracting(ChargeLine::amount)
                .containsExactly(new BigDecimal("0.03086425"), new BigDecimal("1.234567"), new BigDecimal("30.617284"));
    }

    @Test
    void chargeNamesBookVersionAndDecidingInstant() {
        Charge charge = book.charge("deepseek-chat", Instant.parse("2025-03-03T16:29:00Z"), Instant.parse("2025-03-03T16:31:00Z"),
                usage(0, 1_000_000, 0));

        assertThat(charge.priceBook()).isEqualTo("deepseek-2025");
        assertThat(charge.priceBookVersion()).isEqualTo("2025-02-26");
        assertThat(charge.versionEffectiveFrom()).isEqualTo("2025-02-26T16:30:00Z");
        assertThat(charge.pricedAt()).isEqualTo("2025-03-03T16:31:00Z");
        assertThat(charge.tier()).isEqualTo("off-peak");
        assertThat(charge.amount()).isEqualTo("1");
    }

    @Test
    void unknownModelAndInstantsBeforeTheFirstVersionAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> book.quote("gpt-4o", Instant.parse("2025-03-03T12:00:00Z"), usage(1, 1, 1)))
                .withMessageContaining("no price for model 'gpt-4o'").withMessageContaining(List.of("deepseek-chat", "deepseek-reasoner").toString());
        assertThatIllegalArgumentException().isThrownBy(() -> book.quote("deepseek-chat", Instant.parse("2025-01-01T00:00:00Z"), usage(1, 1, 1)))
                .withMessageContaining("no version in force at 2025-01-01T00:00:00Z");
    }
}
