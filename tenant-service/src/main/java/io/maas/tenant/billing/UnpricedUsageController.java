package io.maas.tenant.billing;

import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import java.sql.Date;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/finance/unpriced?month=YYYY-MM} ({@code FINANCE}, {@code PLATFORM_ADMIN}): usage
 * that was served and recorded without a price (tier {@code unpriced}, amount zero: no book priced the
 * model when it completed), per tenant and model, with its tokens, so that it can be priced and billed
 * afterwards. Each tenant's own month, from the daily roll-up; the gateway counts the same requests in
 * its metric {@code maas.usage.unpriced}.
 */
@RestController
class UnpricedUsageController {

    record Report(YearMonth month, List<Entry> entries) {
    }

    record Entry(UUID tenantId, String tenantName, String model, long requests, long cacheHitTokens, long cacheMissTokens,
                 long outputTokens) {
    }

    private final JdbcClient jdbc;

    UnpricedUsageController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/finance/unpriced")
    Report unpriced(@RequestParam String month) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE);
        YearMonth yearMonth;
        try {
            yearMonth = YearMonth.parse(month);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("month must be YYYY-MM, was '" + month + "'").with("field", "month");
        }
        List<Entry> entries = jdbc.sql("""
                        SELECT d.tenant_id, t.name, d.model, sum(d.requests), sum(d.cache_hit_tokens), sum(d.cache_miss_tokens),
                               sum(d.output_tokens)
                        FROM usage_daily d JOIN tenant t ON t.id = d.tenant_id
                        WHERE d.tier = 'unpriced' AND d.day >= ? AND d.day <= ?
                        GROUP BY d.tenant_id, t.name, d.model ORDER BY t.name, d.model""")
                .params(Date.valueOf(yearMonth.atDay(1)), Date.valueOf(yearMonth.atEndOfMonth()))
                .query((rs, n) -> new Entry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7)))
                .list();
        return new Report(yearMonth, entries);
    }
}
