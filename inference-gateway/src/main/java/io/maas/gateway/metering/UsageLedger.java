package io.maas.gateway.metering;

import io.maas.pricing.Charge;
import io.maas.pricing.TokenClass;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes a batch of priced usage in the caller's transaction, in one statement: the usage records
 * (idempotent by request id: a record whose request id is already there is skipped, with its ledger
 * entry), one priced ledger entry per new record, the end of each new record's journal entry
 * ({@link RequestJournal}: its request is recorded), and the daily roll-ups of the tenants (and, for
 * requests a deployment served, of the deployments: revenue beside cost) with the batch's entries
 * summed per roll-up row first, so a batch takes each roll-up row's lock once, whatever the number of
 * its requests; rows are upserted in key order, so concurrent batches cannot deadlock on them.
 * Amounts are the pricing library's exact amounts, stored unrounded. The tenant's roll-up day is the
 * day of the request's completion in the tenant's billing zone ({@code tenant_billing_day}), cut with the zone
 * looked up once per tenant and batch when it is the same for all the batch's requests of the tenant
 * ({@code tenant_billing_zone_between}), else per request; the
 * deployment's is the UTC day, as economics is a platform-wide view.
 */
final class UsageLedger {

    /** A request the platform has no price for: kept with its tokens, amount zero, in ISO 4217's "no currency". */
    static final String UNPRICED_TIER = "unpriced";
    static final String NO_CURRENCY = "XXX";

    /** A record and its charge; no charge: unpriced. */
    record Priced(UsageRecord record, Optional<Charge> charge) {
    }

    private static final String WRITE = """
            WITH r AS (
                SELECT * FROM unnest(?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::boolean[], ?::bigint[], ?::bigint[],
                                     ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::bigint[],
                                     ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[],
                                     ?::numeric[])
                    AS r(request_id, tenant_id, api_key_id, model, endpoint, stream, hit, miss, output, reasoning, started_at,
                         completed_at, outcome, deployment_id, replica_id, queued_ms, price_book, price_book_version, tier,
                         priced_at, currency, hit_amount, miss_amount, output_amount, amount)
            ), recorded AS (
                INSERT INTO usage_record (request_id, tenant_id, api_key_id, model, endpoint, stream, prompt_tokens,
                    prompt_cache_hit_tokens, prompt_cache_miss_tokens, completion_tokens, reasoning_tokens, started_at, completed_at,
                    outcome, deployment_id, replica_id, queued_ms)
                SELECT request_id, tenant_id, api_key_id, model, endpoint, stream, hit + miss, hit, miss, output, reasoning,
                       started_at::timestamptz, completed_at::timestamptz, outcome, deployment_id, replica_id, queued_ms
                FROM r
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id
            ), l AS (
                SELECT r.*, r.completed_at::timestamptz AS occurred_at FROM r WHERE r.request_id IN (SELECT request_id FROM recorded)
            ), ledger AS (
                INSERT INTO usage_ledger (request_id, occurred_at, tenant_id, api_key_id, model, price_book, price_book_version, tier,
                    priced_at, currency, cache_hit_tokens, cache_miss_tokens, output_tokens, cache_hit_amount, cache_miss_amount,
                    output_amount, amount, deployment_id)
                SELECT request_id, occurred_at, tenant_id, api_key_id, model, price_book, price_book_version, tier,
                       COALESCE(priced_at::timestamptz, occurred_at), currency, hit, miss, output, hit_amount, miss_amount,
                       output_amount, amount, deployment_id
                FROM l
            ), deployments AS (
                INSERT INTO deployment_daily AS d (deployment_id, day, tier, currency, requests, cache_hit_tokens, cache_miss_tokens,
                    output_tokens, amount)
                SELECT deployment_id, (occurred_at AT TIME ZONE 'UTC')::date, tier, currency, count(*), sum(hit), sum(miss),
                       sum(output), sum(amount)
                FROM l WHERE deployment_id IS NOT NULL
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                ON CONFLICT (deployment_id, day, tier, currency) DO UPDATE SET
                    requests = d.requests + EXCLUDED.requests,
                    cache_hit_tokens = d.cache_hit_tokens + EXCLUDED.cache_hit_tokens,
                    cache_miss_tokens = d.cache_miss_tokens + EXCLUDED.cache_miss_tokens,
                    output_tokens = d.output_tokens + EXCLUDED.output_tokens,
                    amount = d.amount + EXCLUDED.amount
            ), tenants AS (
                INSERT INTO usage_daily AS d (tenant_id, day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens,
                    output_tokens, cache_hit_amount, cache_miss_amount, output_amount, amount)
                SELECT l.tenant_id, COALESCE((l.occurred_at AT TIME ZONE z.zone)::date, tenant_billing_day(l.tenant_id, l.occurred_at)),
                       model, tier, currency, count(*), sum(hit), sum(miss), sum(output), sum(hit_amount), sum(miss_amount),
                       sum(output_amount), sum(amount)
                FROM l JOIN (SELECT tenant_id, tenant_billing_zone_between(tenant_id, min(occurred_at), max(occurred_at)) AS zone
                             FROM l GROUP BY tenant_id) z ON z.tenant_id = l.tenant_id
                GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                ON CONFLICT (tenant_id, day, model, tier, currency) DO UPDATE SET
                    requests = d.requests + EXCLUDED.requests,
                    cache_hit_tokens = d.cache_hit_tokens + EXCLUDED.cache_hit_tokens,
                    cache_miss_tokens = d.cache_miss_tokens + EXCLUDED.cache_miss_tokens,
                    output_tokens = d.output_tokens + EXCLUDED.output_tokens,
                    cache_hit_amount = d.cache_hit_amount + EXCLUDED.cache_hit_amount,
                    cache_miss_amount = d.cache_miss_amount + EXCLUDED.cache_miss_amount,
                    output_amount = d.output_amount + EXCLUDED.output_amount,
                    amount = d.amount + EXCLUDED.amount
            ), journal AS (
                DELETE FROM request_journal WHERE request_id = ANY (ARRAY(SELECT request_id FROM recorded)) -- by key; IN (SELECT ...) scans them all
            )
            SELECT request_id FROM recorded""";

    private final JdbcClient jdbc;

    UsageLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes {@code batch} (distinct request ids); returns the request ids that were new (the others were already recorded). */
    Set<String> write(List<Priced> batch) {
        return new HashSet<>(jdbc.sql(WRITE)
                .params(
                        array(batch, "text", String[]::new, p -> p.record().requestId()),
                        array(batch, "uuid", UUID[]::new, p -> p.record().tenantId()),
                        array(batch, "uuid", UUID[]::new, p -> p.record().apiKeyId()),
                        array(batch, "text", String[]::new, p -> p.record().model()),
                        array(batch, "text", String[]::new, p -> p.record().endpoint().toString()),
                        array(batch, "boolean", Boolean[]::new, p -> p.record().stream()),
                        array(batch, "bigint", Long[]::new, p -> p.record().usage().cacheHitTokens()),
                        array(batch, "bigint", Long[]::new, p -> p.record().usage().cacheMissTokens()),
                        array(batch, "bigint", Long[]::new, p -> p.record().usage().completionTokens()),
                        array(batch, "bigint", Long[]::new, p -> p.record().usage().reasoningTokens()),
                        array(batch, "text", String[]::new, p -> p.record().startedAt().toString()),
                        array(batch, "text", String[]::new, p -> p.record().completedAt().toString()),
                        array(batch, "text", String[]::new, p -> p.record().outcome().name()),
                        array(batch, "uuid", UUID[]::new, p -> p.record().placement().deploymentId()),
                        array(batch, "uuid", UUID[]::new, p -> p.record().placement().replicaId()),
                        array(batch, "bigint", Long[]::new, p -> p.record().placement().queuedMillis()),
                        array(batch, "text", String[]::new, p -> p.charge().map(Charge::priceBook).orElse(null)),
                        array(batch, "text", String[]::new, p -> p.charge().map(Charge::priceBookVersion).orElse(null)),
                        array(batch, "text", String[]::new, p -> p.charge().map(Charge::tier).orElse(UNPRICED_TIER)),
                        array(batch, "text", String[]::new, p -> p.charge().map(c -> c.pricedAt().toString()).orElse(null)),
                        array(batch, "text", String[]::new, p -> p.charge().map(c -> c.currency().name()).orElse(NO_CURRENCY)),
                        array(batch, "numeric", BigDecimal[]::new, p -> amount(p, TokenClass.INPUT_CACHE_HIT)),
                        array(batch, "numeric", BigDecimal[]::new, p -> amount(p, TokenClass.INPUT_CACHE_MISS)),
                        array(batch, "numeric", BigDecimal[]::new, p -> amount(p, TokenClass.OUTPUT)),
                        array(batch, "numeric", BigDecimal[]::new, p -> p.charge().map(Charge::amount).orElse(BigDecimal.ZERO)))
                .query(String.class)
                .list());
    }

    private static BigDecimal amount(Priced priced, TokenClass tokenClass) {
        return priced.charge()
                .map(c -> c.lines().stream().filter(l -> l.tokenClass() == tokenClass).findFirst().orElseThrow().amount())
                .orElse(BigDecimal.ZERO);
    }

    /**
     * One column of the batch as a PostgreSQL array of {@code type}. Typed ({@code String[]}, {@code Long[]},
     * {@code Boolean[]}), the driver sends it in binary: neither escaped here nor parsed by PostgreSQL; uuid and
     * numeric arrays go as text.
     */
    private static <T> AbstractSqlTypeValue array(List<Priced> batch, String type, IntFunction<T[]> arrayOf,
                                                  Function<Priced, T> column) {
        T[] values = batch.stream().map(column).toArray(arrayOf);
        return new AbstractSqlTypeValue() {
            @Override
            protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
                return connection.createArrayOf(type, values);
            }
        };
    }

    /** The request ids of {@code batch}. */
    static List<String> ids(List<Priced> batch) {
        return batch.stream().map(p -> p.record().requestId()).toList();
    }
}
