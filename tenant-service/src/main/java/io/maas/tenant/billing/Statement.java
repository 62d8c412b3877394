package io.maas.tenant.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's statement for one calendar month of the tenant, cut in {@code zone} (its billing zone
 * that month): {@code from} and {@code to} are that month's first instant and the next's. Lines carry exact amounts; only the totals
 * are rounded, half-even to 0.01 ({@link io.maas.pricing.StatementRounding}), each next to its
 * exact value, so {@code usageExact} is the exact sum of the ledger for the month.
 */
record Statement(UUID tenantId, String tenantName, YearMonth month, String zone, Instant from, Instant to, List<Line> lines,
                 List<Credits.Credit> credits, List<Total> totals, String rounding) {

    /** Usage of one model × tier × token class; {@code amount} exact. */
    record Line(String model, String tier, String tokenClass, String currency, long requests, long tokens, String amount) {
    }

    /** One currency's totals: usage exact and rounded, grants and top-ups made in the month. */
    record Total(String currency, String usageExact, String usage, String grants, String topUps) {
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().scale() < 0 ? value.setScale(0).toPlainString() : value.stripTrailingZeros().toPlainString();
    }
}
