package io.maas.tenant.billing;

import io.maas.pricing.StatementRounding;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.TenantView;
import io.maas.tenant.tenant.Tenants;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Monthly statements, built from the daily roll-up of the usage ledger (never from raw ledger
 * entries) plus the month's credits. Months are the tenant's calendar months (its billing zone,
 * {@link io.maas.tenant.tenant.BillingZones}), the same days as the roll-up's; the platform-wide view
 * sums each tenant's own month.
 */
@Service
class Statements {

    static final String ROUNDING = "Line amounts are exact. Totals: the exact sum of the lines, rounded half-even to 0.01 per currency.";

    /** One tenant's usage total of a month in one currency, for the platform-wide view. */
    record TenantTotal(UUID tenantId, String tenantName, String currency, long requests, String usageExact, String usage) {
    }

    private record Group(String model, String tier, String currency, long requests, long hitTokens, long missTokens,
                         long outTokens, BigDecimal hitAmount, BigDecimal missAmount, BigDecimal outAmount) {
    }

    /** A tenant's month: its first instant, the first instant of the next, and the zone it is cut in. */
    private record Period(Instant from, Instant to, String zone) {
    }

    private final JdbcClient jdbc;
    private final Tenants tenants;
    private final Credits credits;

    Statements(JdbcClient jdbc, Tenants tenants, Credits credits) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.credits = credits;
    }

    @Transactional(readOnly = true)
    Statement of(UUID tenantId, YearMonth month) {
        credits.requireReader(tenantId);
        TenantView tenant = tenants.visible(tenantId);
        List<Group> groups = jdbc.sql("""
                        SELECT model, tier, currency, sum(requests), sum(cache_hit_tokens), sum(cache_miss_tokens), sum(output_tokens),
                               sum(cache_hit_amount), sum(cache_miss_amount), sum(output_amount)
                        FROM usage_daily WHERE tenant_id = ? AND day >= ? AND day <= ?
                        GROUP BY model, tier, currency ORDER BY currency, model, tier""")
                .params(tenantId, Date.valueOf(month.atDay(1)), Date.valueOf(month.atEndOfMonth()))
                .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getBigDecimal(8), rs.getBigDecimal(9), rs.getBigDecimal(10)))
                .list();
        Period period = jdbc.sql("""
                        SELECT s.starts AS "from", e.ends AS "to", tenant_billing_zone(?, e.ends - interval '1 microsecond') AS zone
                        FROM tenant_day_start(?, ?) AS s(starts), tenant_day_start(?, ?) AS e(ends)""")
                .params(tenantId, tenantId, Date.valueOf(month.atDay(1)), tenantId, Date.valueOf(month.plusMonths(1).atDay(1)))
                .query((rs, n) -> new Period(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                .single();
        List<Credits.Credit> monthCredits = credits.list(tenantId, period.from(), period.to());

        List<Statement.Line> lines = new ArrayList<>();
        Map<String, BigDecimal[]> sums = new TreeMap<>(); // currency → usage, grants, top-ups
        for (Group g : groups) {
            lines.add(new Statement.Line(g.model(), g.tier(), "input-cache-hit", g.currency(), g.requests(), g.hitTokens(), Statement.plain(g.hitAmount())));
            lines.add(new Statement.Line(g.model(), g.tier(), "input-cache-miss", g.currency(), g.requests(), g.missTokens(), Statement.plain(g.missAmount())));
            lines.add(new Statement.Line(g.model(), g.tier(), "output", g.currency(), g.requests(), g.outTokens(), Statement.plain(g.outAmount())));
            BigDecimal[] sum = sums.computeIfAbsent(g.currency(), c -> zeros());
            sum[0] = sum[0].add(g.hitAmount()).add(g.missAmount()).add(g.outAmount());
        }
        for (Credits.Credit credit : monthCredits) {
            BigDecimal[] sum = sums.computeIfAbsent(credit.currency(), c -> zeros());
            int index = credit.kind() == Credits.Kind.GRANT ? 1 : 2;
            sum[index] = sum[index].add(new BigDecimal(credit.amount()));
        }
        List<Statement.Total> totals = sums.entrySet().stream()
                .map(e -> new Statement.Total(e.getKey(), Statement.plain(e.getValue()[0]),
                        StatementRounding.round(e.getValue()[0]).toPlainString(),
                        StatementRounding.round(e.getValue()[1]).toPlainString(), StatementRounding.round(e.getValue()[2]).toPlainString()))
                .toList();
        return new Statement(tenantId, tenant.name(), month, period.zone(), period.from(), period.to(), lines, monthCredits, totals,
                ROUNDING);
    }

    /** Every tenant's usage totals of {@code month}: {@code PLATFORM_ADMIN} and {@code FINANCE}. */
    @Transactional(readOnly = true)
    List<TenantTotal> platform(YearMonth month) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE);
        return jdbc.sql("""
                        SELECT d.tenant_id, t.name, d.currency, sum(d.requests), sum(d.amount)
                        FROM usage_daily d JOIN tenant t ON t.id = d.tenant_id
                        WHERE d.day >= ? AND d.day <= ?
                        GROUP BY d.tenant_id, t.name, d.currency ORDER BY t.name, d.currency""")
                .params(Date.valueOf(month.atDay(1)), Date.valueOf(month.atEndOfMonth()))
                .query((rs, n) -> new TenantTotal(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                        Statement.plain(rs.getBigDecimal(5)), StatementRounding.round(rs.getBigDecimal(5)).toPlainString()))
                .list();
    }

    private static BigDecimal[] zeros() {
        return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    }
}
