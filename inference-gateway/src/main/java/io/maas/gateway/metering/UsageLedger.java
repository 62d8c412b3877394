package io.maas.gateway.metering;

import io.maas.pricing.Charge;
import io.maas.pricing.TokenClass;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes one priced ledger entry and adds it to the tenant's daily roll-up (and, for a request a
 * deployment served, to the deployment's: revenue beside cost), in the caller's transaction. Amounts
 * are the pricing library's exact amounts, stored unrounded. The tenant's roll-up day is the day of
 * the request's completion in the tenant's billing zone ({@code tenant_billing_day}); the deployment's
 * is the UTC day, as economics is a platform-wide view.
 */
final class UsageLedger {

    /** A request the platform has no price for: kept with its tokens, amount zero, in ISO 4217's "no currency". */
    static final String UNPRICED_TIER = "unpriced";
    static final String NO_CURRENCY = "XXX";

    private final JdbcClient jdbc;

    UsageLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code charge} is null for an unpriced request. */
    void write(UsageRecord record, Charge charge) {
        long hit = record.usage().cacheHitTokens();
        long miss = record.usage().cacheMissTokens();
        long out = record.usage().completionTokens();
        BigDecimal hitAmount = charge == null ? BigDecimal.ZERO : amount(charge, TokenClass.INPUT_CACHE_HIT);
        BigDecimal missAmount = charge == null ? BigDecimal.ZERO : amount(charge, TokenClass.INPUT_CACHE_MISS);
        BigDecimal outAmount = charge == null ? BigDecimal.ZERO : amount(charge, TokenClass.OUTPUT);
        BigDecimal amount = charge == null ? BigDecimal.ZERO : charge.amount();
        String tier = charge == null ? UNPRICED_TIER : charge.tier();
        String currency = charge == null ? NO_CURRENCY : charge.currency().name();
        Timestamp occurredAt = Timestamp.from(record.completedAt());
        jdbc.sql("""
                        INSERT INTO usage_ledger (request_id, occurred_at, tenant_id, api_key_id, model, price_book,
                            price_book_version, tier, priced_at, currency, cache_hit_tokens, cache_miss_tokens, output_tokens,
                            cache_hit_amount, cache_miss_amount, output_amount, amount, deployment_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(record.requestId(), occurredAt, record.tenantId(), record.apiKeyId(), record.model(),
                        charge == null ? null : charge.priceBook(), charge == null ? null : charge.priceBookVersion(), tier,
                        charge == null ? occurredAt : Timestamp.from(charge.pricedAt()), currency, hit, miss, out,
                        hitAmount, missAmount, outAmount, amount, record.placement().deploymentId())
                .update();
        LocalDate utcDay = LocalDate.ofInstant(record.completedAt(), ZoneOffset.UTC);
        if (record.placement().deploymentId() != null) {
            jdbc.sql("""
                            INSERT INTO deployment_daily AS d (deployment_id, day, tier, currency, requests, cache_hit_tokens,
                                cache_miss_tokens, output_tokens, amount)
                            VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
                            ON CONFLICT (deployment_id, day, tier, currency) DO UPDATE SET
                                requests = d.requests + 1,
                                cache_hit_tokens = d.cache_hit_tokens + EXCLUDED.cache_hit_tokens,
                                cache_miss_tokens = d.cache_miss_tokens + EXCLUDED.cache_miss_tokens,
                                output_tokens = d.output_tokens + EXCLUDED.output_tokens,
                                amount = d.amount + EXCLUDED.amount""")
                    .params(record.placement().deploymentId(), utcDay, tier, currency, hit, miss, out, amount)
                    .update();
        }
        jdbc.sql("""
                        INSERT INTO usage_daily AS d (tenant_id, day, model, tier, currency, requests, cache_hit_tokens,
                            cache_miss_tokens, output_tokens, cache_hit_amount, cache_miss_amount, output_amount, amount)
                        VALUES (?, tenant_billing_day(?, ?), ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (tenant_id, day, model, tier, currency) DO UPDATE SET
                            requests = d.requests + 1,
                            cache_hit_tokens = d.cache_hit_tokens + EXCLUDED.cache_hit_tokens,
                            cache_miss_tokens = d.cache_miss_tokens + EXCLUDED.cache_miss_tokens,
                            output_tokens = d.output_tokens + EXCLUDED.output_tokens,
                            cache_hit_amount = d.cache_hit_amount + EXCLUDED.cache_hit_amount,
                            cache_miss_amount = d.cache_miss_amount + EXCLUDED.cache_miss_amount,
                            output_amount = d.output_amount + EXCLUDED.output_amount,
                            amount = d.amount + EXCLUDED.amount""")
                .params(record.tenantId(), record.tenantId(), occurredAt, record.model(), tier,
                        currency, hit, miss, out, hitAmount, missAmount, outAmount, amount)
                .update();
    }

    private static BigDecimal amount(Charge charge, TokenClass tokenClass) {
        return charge.lines().stream().filter(l -> l.tokenClass() == tokenClass).findFirst().orElseThrow().amount();
    }
}
