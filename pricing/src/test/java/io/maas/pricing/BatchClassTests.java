package io.maas.pricing;

import static io.maas.pricing.TestBooks.MODEL;
import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch price class: its price on every tier's hours, when batches run, books without one, validation. */
class BatchClassTests {

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final TokenUsage MILLION_EACH = usage(1_000_000, 1_000_000, 1_000_000);

    private final PriceBook deepseek2026 = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);

    private static Instant beijing(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BEIJING).toInstant();
    }

    private static Charge charge(PriceBook book, String model, Instant at, PriceClass priceClass) {
        return book.charge(model, at, at, MILLION_EACH, priceClass);
    }

    @Test
    void deepseek2026BatchesCostAQuarterOfTheBasePriceAtAnyHourAndAreTheirOwnTier() {
        Charge peakOnline = charge(deepseek2026, "deepseek-flash", beijing("2026-03-16T10:00"), PriceClass.ONLINE);
        Charge offPeakOnline = charge(deepseek2026, "deepseek-flash", beijing("2026-03-16T20:00"), PriceClass.ONLINE);
        Charge batchAtPeak = charge(deepseek2026, "deepseek-flash", beijing("2026-03-16T10:00"), PriceClass.BATCH);
        Charge batchOffPeak = charge(deepseek2026, "deepseek-flash", beijing("2026-03-16T20:00"), PriceClass.BATCH);

        assertThat(peakOnline.amount()).isEqualTo("10.04");
        assertThat(offPeakOnline.amount()).isEqualTo("5.02");
        assertThat(batchOffPeak.amount()).isEqualTo("2.51");
        assertThat(batchOffPeak.tier()).isEqualTo(BatchClass.TIER);
        assertThat(batchAtPeak).extracting(Charge::tier, Charge::amount).containsExactly("batch", new BigDecimal("2.51"));
        assertThat(batchOffPeak.lines()).extracting(ChargeLine::pricePerMillion).map(BigDecimal::toPlainString)
                .containsExactly("0.01", "0.5", "2");
    }

    @Test
    void deepseek2025BatchesCostHalfTheOffPeakPricePerModel() {
        PriceBook book = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2025);
        Instant noonUtc = Instant.parse("2026-03-16T12:00:00Z");

        assertThat(charge(book, "deepseek-chat", noonUtc, PriceClass.BATCH).amount()).isEqualTo("2.625");
        assertThat(charge(book, "deepseek-reasoner", noonUtc, PriceClass.BATCH).amount()).isEqualTo("2.625");
        assertThat(charge(book, "deepseek-chat", noonUtc, PriceClass.ONLINE).amount()).isEqualTo("10.5");
    }

    @Test
    void batchesRunInTheOffPeakTierOnly() {
        assertThat(deepseek2026.batchRunsAt(beijing("2026-03-16T08:59:59"))).as("Monday before peak").isTrue();
        assertThat(deepseek2026.batchRunsAt(beijing("2026-03-16T09:00"))).as("Monday peak").isFalse();
        assertThat(deepseek2026.batchRunsAt(beijing("2026-03-16T12:30"))).as("Monday lunch").isTrue();
        assertThat(deepseek2026.batchRunsAt(beijing("2026-03-16T17:59:59"))).as("Monday afternoon peak").isFalse();
        assertThat(deepseek2026.batchRunsAt(beijing("2026-03-16T18:00"))).as("Monday evening").isTrue();
        assertThat(deepseek2026.batchRunsAt(beijing("2026-10-02T10:00"))).as("National Day").isTrue();
    }

    @Test
    void theWorstCaseOfABatchRequestIsTheBatchPriceEvenAcrossPeak() {
        Instant before = beijing("2026-03-16T08:30");
        Instant after = beijing("2026-03-16T09:30");

        assertThat(deepseek2026.maxPrices("deepseek-flash", before, after, PriceClass.BATCH).output()).isEqualByComparingTo("2");
        assertThat(deepseek2026.maxPrices("deepseek-flash", before, after, PriceClass.ONLINE).output()).isEqualByComparingTo("8");
    }

    @Test
    void aBookWithoutABatchClassPricesBatchesAsOnlineAndRunsThemAtAnyTime() {
        PriceBook book = PriceBook.of("plain", null, TestBooks.version("v", "2026-01-01T00:00:00Z", cny("1", "2", "3"), "UTC", "standard"));
        Instant at = Instant.parse("2026-03-16T10:00:00Z");

        assertThat(book.versions().getFirst().batch().isNone()).isTrue();
        assertThat(charge(book, MODEL, at, PriceClass.BATCH)).isEqualTo(charge(book, MODEL, at, PriceClass.ONLINE));
        assertThat(book.batchRunsAt(at)).isTrue();
        assertThat(book.maxPrices(MODEL, at, at, PriceClass.BATCH)).isEqualTo(book.maxPrices(MODEL, at, at));
        assertThat(PricingJson.write(book)).doesNotContain("batch");
    }

    @Test
    void aBatchClassMustRunInTiersOfTheScheduleAndPriceEveryModel() {
        PriceBookVersion plain = TestBooks.version("v", "2026-01-01T00:00:00Z", cny("1", "2", "3"), "UTC", "standard");
        TierPricing half = TierPricing.multiplier(new BigDecimal("0.5"));

        assertThatThrownBy(() -> withBatch(plain, new BatchClass(List.of("night"), half, Map.of())))
                .isInstanceOf(InvalidPriceBookException.class).hasMessage("batch.runIn[0]: names no tier of the schedule: 'night'");
        assertThatThrownBy(() -> withBatch(plain, new BatchClass(List.of(), half, Map.of())))
                .isInstanceOf(InvalidPriceBookException.class).hasMessageStartingWith("batch.runIn: must name at least one tier");
        assertThatThrownBy(() -> withBatch(plain, new BatchClass(List.of("standard"), null, Map.of("other", half))))
                .isInstanceOf(InvalidPriceBookException.class).hasMessageStartingWith("batch.models.other: the batch class prices model 'other'");
        assertThatThrownBy(() -> PricingJson.readPriceBook(PricingJson.write(PriceBook.of("b", null, plain))
                        .replace("\"schedule\"", "\"batch\": {\"runIn\": [\"standard\"]}, \"schedule\"")))
                .isInstanceOf(InvalidPriceBookException.class)
                .hasMessageStartingWith("versions[0].batch.models: the batch class has no price for model 'm'");
    }

    private static PriceBookVersion withBatch(PriceBookVersion version, BatchClass batch) {
        return new PriceBookVersion(version.version(), version.effectiveFrom(), version.models(), version.schedule(), batch);
    }
}
