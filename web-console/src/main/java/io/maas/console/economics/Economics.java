package io.maas.console.economics;

import io.maas.console.system.TenantApi;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * tenant-service's {@code /api/v1/economics}: per deployment and UTC day, accelerator-hours and their
 * cost beside the revenue its requests billed; and a deployment's month added up.
 */
@Component
public class Economics {

    /**
     * One deployment's day, as tenant-service computes it.
     *
     * @param marginPercent (revenue − cost) / cost × 100; null when the cost is unknown or zero, or in another currency
     */
    public record Day(UUID deploymentId, String deployment, UUID tenantId, String model, LocalDate day, BigDecimal acceleratorHours,
                      BigDecimal cost, String costCurrency, long requests, BigDecimal revenue, String revenueCurrency,
                      BigDecimal marginPercent, long tokens, BigDecimal cacheHitShare, BigDecimal offPeakRevenueShare) {
    }

    record Report(String month, List<Day> days) {
    }

    /**
     * A deployment's days added up. Cost and revenue are each summed in their one currency (a month
     * whose days disagree on it has no total); the margin is the same rule as a day's, rounded half-even to 0.1.
     */
    public record Total(UUID deploymentId, String deployment, String model, BigDecimal acceleratorHours, BigDecimal cost,
                        String costCurrency, long requests, BigDecimal revenue, String revenueCurrency, BigDecimal marginPercent) {
    }

    private final TenantApi api;

    Economics(TenantApi api) {
        this.api = api;
    }

    public List<Day> month(YearMonth month) {
        return api.get(Report.class, "/api/v1/economics?month={month}", month).days();
    }

    /** Each deployment's total over {@code days}, in the order the days came. */
    public static Map<UUID, Total> totals(List<Day> days) {
        Map<UUID, Total> totals = new LinkedHashMap<>();
        for (Day d : days) {
            totals.merge(d.deploymentId(), single(d), Economics::add);
        }
        totals.replaceAll((id, t) -> new Total(t.deploymentId(), t.deployment(), t.model(), t.acceleratorHours(), t.cost(), t.costCurrency(),
                t.requests(), t.revenue(), t.revenueCurrency(), margin(t.cost(), t.costCurrency(), t.revenue(), t.revenueCurrency())));
        return totals;
    }

    private static Total single(Day d) {
        return new Total(d.deploymentId(), d.deployment(), d.model(), d.acceleratorHours(), d.cost(), d.costCurrency(), d.requests(),
                d.revenue() == null ? BigDecimal.ZERO : d.revenue(), d.revenueCurrency(), null);
    }

    private static Total add(Total a, Total b) {
        boolean costAdds = a.cost() != null && b.cost() != null && a.costCurrency().equals(b.costCurrency());
        String revenueCurrency = a.revenueCurrency() == null ? b.revenueCurrency() : a.revenueCurrency();
        boolean revenueAdds = b.revenueCurrency() == null || b.revenueCurrency().equals(revenueCurrency);
        return new Total(a.deploymentId(), a.deployment(), a.model(), a.acceleratorHours().add(b.acceleratorHours()),
                costAdds ? a.cost().add(b.cost()) : null, costAdds ? a.costCurrency() : null, a.requests() + b.requests(),
                revenueAdds && a.revenue() != null ? a.revenue().add(b.revenue()) : null, revenueAdds ? revenueCurrency : null, null);
    }

    private static BigDecimal margin(BigDecimal cost, String costCurrency, BigDecimal revenue, String revenueCurrency) {
        if (cost == null || cost.signum() == 0 || revenue == null) {
            return null;
        }
        if (revenueCurrency != null && !revenueCurrency.equals(costCurrency)) {
            return null;
        }
        return revenue.subtract(cost).multiply(BigDecimal.valueOf(100)).divide(cost, 1, RoundingMode.HALF_EVEN);
    }
}
