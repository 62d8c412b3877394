package io.maas.tenant.usage;

import io.maas.pricing.StatementRounding;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.Tenants;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Usage reports from the daily roll-up. A tenant's days: every role that sees the tenant (another
 * tenant is a 404). The platform's day: {@code PLATFORM_ADMIN} and {@code FINANCE}. Amounts are exact
 * decimal strings, as the ledger keeps them; a summary's amounts are also given rounded half-even to
 * 0.01, the statements' rule.
 */
@Service
class UsageReports {

    /** The longest range one request may ask for. */
    static final int MAX_DAYS = 366;
    private static final int TOP_TENANTS = 5;

    /** One day × model × tier × currency of a tenant. */
    record Day(LocalDate day, String model, String tier, String currency, long requests, long cacheHitTokens,
               long cacheMissTokens, long outputTokens, String amount) {
    }

    /** The platform's usage on one day, per tier and currency. */
    record TierTotal(String tier, String currency, long requests, long tokens, String amount, String amountRounded) {
    }

    /** A tenant's spend on the day, in one currency. */
    record TenantSpend(UUID tenantId, String tenantName, String currency, long requests, long tokens, String amount,
                       String amountRounded) {
    }

    record Summary(LocalDate day, List<TierTotal> tiers, List<TenantSpend> topTenants) {
    }

    private final JdbcClient jdbc;
    private final Tenants tenants;
    private final Clock clock;

    UsageReports(JdbcClient jdbc, Tenants tenants, Clock clock) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** {@code from} and {@code to} default to the first and last day of the tenant's month now (its billing zone's). */
    @Transactional(readOnly = true)
    List<Day> ofTenant(UUID tenantId, LocalDate from, LocalDate to) {
        tenants.visible(tenantId);
        YearMonth month = YearMonth.from(jdbc.sql("SELECT tenant_billing_day(?, ?)").params(tenantId, Timestamp.from(clock.instant()))
                .query(LocalDate.class).single());
        from = from == null ? month.atDay(1) : from;
        to = to == null ? month.atEndOfMonth() : to;
        requireRange(from, to);
        return jdbc.sql("""
                        SELECT day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens, output_tokens, amount
                        FROM usage_daily WHERE tenant_id = ? AND day >= ? AND day <= ?
                        ORDER BY day, model, tier, currency""")
                .params(tenantId, Date.valueOf(from), Date.valueOf(to))
                .query((rs, n) -> new Day(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), plain(rs.getBigDecimal(9))))
                .list();
    }

    @Transactional(readOnly = true)
    Summary platform(LocalDate day) {
        Caller caller = CurrentCaller.get();
        caller.require(Role.PLATFORM_ADMIN, Role.FINANCE);
        List<TierTotal> tiers = jdbc.sql("""
                        SELECT tier, currency, sum(requests), sum(cache_hit_tokens + cache_miss_tokens + output_tokens), sum(amount)
                        FROM usage_daily WHERE day = ? GROUP BY tier, currency ORDER BY currency, tier""")
                .param(Date.valueOf(day))
                .query((rs, n) -> new TierTotal(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        plain(rs.getBigDecimal(5)), rounded(rs.getBigDecimal(5))))
                .list();
        List<TenantSpend> top = jdbc.sql("""
                        SELECT d.tenant_id, t.name, d.currency, sum(d.requests),
                               sum(d.cache_hit_tokens + d.cache_miss_tokens + d.output_tokens), sum(d.amount) AS spend
                        FROM usage_daily d JOIN tenant t ON t.id = d.tenant_id
                        WHERE d.day = ? AND d.currency <> 'XXX'
                        GROUP BY d.tenant_id, t.name, d.currency ORDER BY spend DESC, t.name LIMIT ?""")
                .params(Date.valueOf(day), TOP_TENANTS)
                .query((rs, n) -> new TenantSpend(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), plain(rs.getBigDecimal(6)), rounded(rs.getBigDecimal(6))))
                .list();
        return new Summary(day, tiers, top);
    }

    private static void requireRange(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw ApiException.badRequest("to (" + to + ") is before from (" + from + "); both days are included.");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiException.badRequest("Ask for at most " + MAX_DAYS + " days at a time.");
        }
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String rounded(BigDecimal value) {
        return StatementRounding.round(value).toPlainString();
    }
}
