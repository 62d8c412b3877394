package io.maas.tenant.economics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DayCalculationTests {

    private static final LocalDate DAY = LocalDate.parse("2025-02-28");
    private static final Instant MIDNIGHT = Instant.parse("2025-02-28T00:00:00Z");

    /**
     * DeepSeek's published day (2025-02-28, "Day 6" of its open-source week): on average 226.75 nodes of
     * 8 H800 GPUs, at USD 2 per GPU-hour, cost USD 87,072; the day's tokens at R1 prices would bill USD
     * 562,027: a cost-profit margin of 545 % ((562,027 − 87,072) / 87,072 = 5.4547). The average is
     * 226 nodes all day and one for 18 hours.
     */
    @Test
    void deepSeeksPublishedDay() {
        List<DayCalculation.Span> nodes = new ArrayList<>();
        for (int i = 0; i < 226; i++) {
            nodes.add(new DayCalculation.Span(MIDNIGHT.minusSeconds(3600), MIDNIGHT.plusSeconds(86_400 + 3600), 8));
        }
        nodes.add(new DayCalculation.Span(MIDNIGHT.plusSeconds(6 * 3600), MIDNIGHT.plusSeconds(86_400), 8));
        List<DayCalculation.Revenue> revenue = List.of(
                new DayCalculation.Revenue("peak", "USD", 1, 342_000_000_000L, 266_000_000_000L, 168_000_000_000L, new BigDecimal("400000")),
                new DayCalculation.Revenue("off-peak", "USD", 1, 0, 0, 0, new BigDecimal("162027")));

        DeploymentDay day = DayCalculation.of(UUID.randomUUID(), "deepseek-r1", null, "deepseek-r1", DAY, nodes,
                new DayCalculation.Rate(new BigDecimal("2"), "USD"), revenue);

        assertThat(day.acceleratorHours()).isEqualByComparingTo("43536");
        assertThat(day.acceleratorHours().divide(BigDecimal.valueOf(24 * 8))).isEqualByComparingTo("226.75");
        assertThat(day.cost()).isEqualByComparingTo("87072.00");
        assertThat(day.revenue()).isEqualByComparingTo("562027");
        assertThat(day.marginPercent()).as("DeepSeek rounds it down to 545 %").isEqualByComparingTo("545.5");
        assertThat(day.cacheHitShare()).isEqualByComparingTo("0.5625");
        assertThat(day.offPeakRevenueShare()).isEqualByComparingTo("0.2883");
        assertThat(day.tokens()).isEqualTo(776_000_000_000L);
    }

    @Test
    void spansAreClippedToTheDayAndARunningReplicaCountsUntilNow() {
        var spans = List.of(
                new DayCalculation.Span(MIDNIGHT.minusSeconds(7200), MIDNIGHT.plusSeconds(3600), 2),
                new DayCalculation.Span(MIDNIGHT.plusSeconds(23 * 3600 + 1800), MIDNIGHT.plusSeconds(2 * 86_400), 1));

        DeploymentDay day = DayCalculation.of(UUID.randomUUID(), "d", null, "demo-moe", DAY, spans, new DayCalculation.Rate(null, null), List.of());

        assertThat(day.acceleratorHours()).isEqualByComparingTo("2.5");
        assertThat(day.cost()).isNull();
        assertThat(day.marginPercent()).isNull();
        assertThat(day.cacheHitShare()).isNull();
    }

    @Test
    void noMarginAcrossCurrencies() {
        var spans = List.of(new DayCalculation.Span(MIDNIGHT, MIDNIGHT.plusSeconds(3600), 1));
        var revenue = List.of(new DayCalculation.Revenue("peak", "CNY", 3, 10, 30, 5, new BigDecimal("7.20")));

        DeploymentDay day = DayCalculation.of(UUID.randomUUID(), "d", null, "demo-moe", DAY, spans,
                new DayCalculation.Rate(new BigDecimal("2"), "USD"), revenue);

        assertThat(day.cost()).isEqualByComparingTo("2.00");
        assertThat(day.revenue()).isEqualByComparingTo("7.20");
        assertThat(day.revenueCurrency()).isEqualTo("CNY");
        assertThat(day.marginPercent()).isNull();
        assertThat(day.offPeakRevenueShare()).isEqualByComparingTo("0");
        assertThat(day.cacheHitShare()).isEqualByComparingTo("0.25");
    }
}
