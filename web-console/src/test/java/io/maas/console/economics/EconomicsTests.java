package io.maas.console.economics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A deployment's month added up from its days: the sums a finance reader checks by hand, and no margin where none can be said. */
class EconomicsTests {

    private static final UUID ONE = UUID.randomUUID();
    private static final UUID TWO = UUID.randomUUID();

    @Test
    void aMonthAddsItsDaysAndTakesTheMarginOfTheSums() {
        var totals = Economics.totals(List.of(
                day(ONE, 1, "24", "48.00", "USD", "60.00", "USD"),
                day(ONE, 2, "24", "48.00", "USD", "12.00", "USD"),
                day(TWO, 1, "8", "16.00", "USD", "0", null)));

        Economics.Total one = totals.get(ONE);
        assertThat(one.acceleratorHours()).isEqualByComparingTo("48");
        assertThat(one.cost()).isEqualByComparingTo("96.00");
        assertThat(one.revenue()).isEqualByComparingTo("72.00");
        assertThat(one.requests()).isEqualTo(20);
        // (72 - 96) / 96 = -25 %, not the average of the days' +25 % and -75 %
        assertThat(one.marginPercent()).isEqualByComparingTo("-25.0");
        assertThat(totals.get(TWO).marginPercent()).as("nothing billed: the cost is all lost").isEqualByComparingTo("-100.0");
    }

    @Test
    void noMarginWithoutACostOrAcrossCurrencies() {
        var noCost = Economics.totals(List.of(day(ONE, 1, "24", null, null, "10.00", "CNY"))).get(ONE);
        var twoCurrencies = Economics.totals(List.of(day(ONE, 1, "24", "48.00", "USD", "300.00", "CNY"))).get(ONE);
        var costChangedCurrency = Economics.totals(List.of(day(ONE, 1, "24", "48.00", "USD", "1", "USD"),
                day(ONE, 2, "24", "340.00", "CNY", "1", "USD"))).get(ONE);

        assertThat(noCost.marginPercent()).isNull();
        assertThat(twoCurrencies.marginPercent()).isNull();
        assertThat(costChangedCurrency.cost()).as("no sum of USD and CNY").isNull();
        assertThat(costChangedCurrency.marginPercent()).isNull();
    }

    private static Economics.Day day(UUID id, int day, String hours, String cost, String costCurrency, String revenue, String revenueCurrency) {
        return new Economics.Day(id, "d-" + id, null, "demo-moe", LocalDate.of(2026, 11, day), new BigDecimal(hours),
                cost == null ? null : new BigDecimal(cost), costCurrency, 10, new BigDecimal(revenue), revenueCurrency, null, 100, null, null);
    }
}
