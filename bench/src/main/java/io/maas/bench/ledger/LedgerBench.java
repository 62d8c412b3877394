package io.maas.bench.ledger;

import com.zaxxer.hikari.HikariDataSource;
import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.Usage;
import io.maas.bench.BenchDatabase;
import io.maas.bench.Results;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.metering.UsageSpool;
import io.maas.gateway.pricebook.TenantPriceBooks;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.tenant.TenantServiceApplication;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Usage-ledger benchmark on a throwaway database of the local PostgreSQL:
 * <ol>
 *   <li>ingest (issue 12's P5): usage records settled per second through the gateway's {@link UsageRecorder}
 *       (record + pricing + ledger entry + daily roll-up, group-committed) by {@code requests} requests at
 *       once, for 20 tenants and for one, against the reference of a bare single-row INSERT loop of the usage
 *       records alone on {@code threads} connections, before and after;</li>
 *   <li>statement: one tenant's month statement over ≥ 10 M generated ledger entries, through
 *       tenant-service's REST API (JSON), against the reference of a naive GROUP BY over the raw
 *       ledger entries of that tenant and month.</li>
 * </ol>
 * Options (system properties): {@code records} (ledger entries generated, default 10,000,000; 0 skips the
 * statement), {@code ingest} (records settled, default 20,000), {@code threads} (default 16), {@code requests}
 * (requests settling at once, default 512).
 */
public final class LedgerBench {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final String MONTH = "2026-10";

    private static final String INGEST = "Ingest: requests settling through the gateway's UsageRecorder, each waiting until its own "
            + "record is durable (usage record + pricing with deepseek-2026 + ledger entry + daily roll-up, group-committed: "
            + "the writer prices what is waiting and commits it in one transaction); virtual threads, one per request in flight; records as the orphan sweeper writes them (no catalog "
            + "model: the writer asks SQL served_model_catalog, once per batch); request ids as the gateway makes them "
            + "(RequestId.next, time-ordered). Reference: "
            + "bare single-row INSERTs of usage_record alone in autocommit, one loop per connection. One run after a warm-up "
            + "of a quarter of the records; 2 cores shared by the JVM, PostgreSQL and other builds: compare ratios.";

    public static void main(String[] args) throws Exception {
        long records = Long.getLong("records", 10_000_000);
        int ingest = Integer.getInteger("ingest", 20_000);
        int threads = Integer.getInteger("threads", 16);
        int requests = Integer.getInteger("requests", 512);
        try (BenchDatabase db = new BenchDatabase("ledger")) {
            run(db.url(), db.user(), db.password(), records, ingest, threads, requests);
        }
    }

    private static void run(String url, String user, String password, long records, int ingest, int threads, int requests)
            throws Exception {
        var results = new Results("ledger", "Usage ledger: ingest and month statement",
                "measurement", "what", "result", "reference", "reference result");
        try (var pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setUsername(user);
            pool.setPassword(password);
            pool.setMaximumPoolSize(threads);
            JdbcClient jdbc = JdbcClient.create(pool);
            List<UUID[]> tenantsAndKeys = setUp(jdbc, 20);
            var transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
            var recorder = new UsageRecorder(jdbc, transactions, new TenantPriceBooks(jdbc),
                    new UsageSpool(Path.of("bench", "target", "usage-spool")), new DurableReservations(jdbc, transactions));

            Metrics.addRegistry(new SimpleMeterRegistry());
            ingest(recorder, tenantsAndKeys, ingest / 4, requests); // warm-up
            double bare = bareInserts(jdbc, tenantsAndKeys, ingest, threads);
            Batches start = Batches.now();
            double settled = ingest(recorder, tenantsAndKeys, ingest, requests);
            Batches afterMany = Batches.now();
            double oneTenant = ingest(recorder, tenantsAndKeys.subList(0, 1), ingest, requests);
            String batches = afterMany.since(start);
            String batchesOfOne = Batches.now().since(afterMany);
            double bareAgain = bareInserts(jdbc, tenantsAndKeys, ingest, threads);
            results.row("ingest (P5)", "%,d requests settling at once, 20 tenants".formatted(requests),
                    "%,.0f records/s".formatted(settled), "bare single-row usage_record INSERT loop, " + threads + " connections",
                    "%,.0f records/s".formatted(bare));
            results.row("ingest (P5)", "%,d requests settling at once, 1 tenant".formatted(requests),
                    "%,.0f records/s".formatted(oneTenant), "the same, again after", "%,.0f records/s".formatted(bareAgain));
            results.note("Goal (issue 12, P5): ≥ 20,000 records/s through the settlement path. This run: %,.0f (20 tenants) and %,.0f "
                    .formatted(settled, oneTenant) + "(1 tenant) records/s, %.2f× and %.2f× the bare INSERT loop's mean."
                    .formatted(settled / ((bare + bareAgain) / 2), oneTenant / ((bare + bareAgain) / 2)));
            results.note(INGEST);
            results.note("Group commits: " + batches + " (20 tenants); " + batchesOfOne + " (1 tenant).");
            recorder.close();
            if (records == 0) {
                results.note("Month statement not measured (-Drecords=0).");
                results.save(Path.of("bench/results"));
                return;
            }

            UUID big = tenantsAndKeys.getFirst()[0];
            System.out.printf("generating %,d ledger entries for tenant %s in %s …%n", records, big, MONTH);
            long t0 = System.nanoTime();
            generate(jdbc, big, tenantsAndKeys.getFirst()[1], records);
            System.out.printf("generated in %.0f s%n", (System.nanoTime() - t0) / 1e9);

            double naive = median(5, () -> jdbc.sql("""
                            SELECT model, tier, currency, count(*), sum(cache_hit_tokens), sum(cache_miss_tokens), sum(output_tokens),
                                   sum(cache_hit_amount), sum(cache_miss_amount), sum(output_amount)
                            FROM usage_ledger WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?
                            GROUP BY model, tier, currency""")
                    .params(big, Timestamp.from(Instant.parse(MONTH + "-01T00:00:00Z")), Timestamp.from(Instant.parse("2026-11-01T00:00:00Z")))
                    .query().listOfRows());
            double statement = statementThroughRest(url, user, password, big);
            long entries = jdbc.sql("SELECT count(*) FROM usage_ledger WHERE tenant_id = ?").param(big).query(Long.class).single();
            results.row("month statement", "%,d ledger entries of one tenant, %s, JSON via REST".formatted(entries, MONTH),
                    "%.0f ms".formatted(statement), "naive GROUP BY over the raw ledger", "%.0f ms".formatted(naive));
        }
        results.note("Throwaway database on the local PostgreSQL, created, migrated (Flyway) and dropped by the run.");
        results.note("Statement: GET /api/v1/tenants/{id}/statements/" + MONTH + " on tenant-service started in the same JVM; median of 5 after one warm-up. It reads the daily roll-up only; the reference scans the tenant's raw ledger entries of the month.");
        results.note("Ledger entries generated with generate_series (priced with deepseek-2026's peak/off-peak prices), roll-up built from them as the writer keeps it.");
        results.save(Path.of("bench/results"));
    }

    /** {@code count} tenants priced by deepseek-2026, each with one key: [tenant, key]. */
    private static List<UUID[]> setUp(JdbcClient jdbc, int count) {
        PriceBook book = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026);
        UUID bookId = UUID.randomUUID();
        jdbc.sql("INSERT INTO price_book (id, name, platform_default) VALUES (?, ?, true)").params(bookId, book.name()).update();
        int seq = 0;
        for (PriceBookVersion version : book.versions()) {
            jdbc.sql("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, ?, ?, ?, ?::jsonb)")
                    .params(bookId, ++seq, version.version(), Timestamp.from(version.effectiveFrom()), PricingJson.write(version)).update();
        }
        List<UUID[]> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID tenant = UUID.randomUUID();
            UUID key = UUID.randomUUID();
            jdbc.sql("INSERT INTO tenant (id, name) VALUES (?, ?)").params(tenant, "bench-" + i).update();
            jdbc.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'bench', 'sk-bench', ?)")
                    .params(key, tenant, ApiKeySecret.hash(ApiKeySecret.generate())).update();
            all.add(new UUID[] {tenant, key});
        }
        return all;
    }

    private static double ingest(UsageRecorder recorder, List<UUID[]> tenants, int count, int threads) throws Exception {
        return parallel(count, threads, i -> {
            UUID[] tk = tenants.get(i % tenants.size());
            Instant now = Instant.now();
            recorder.record(new UsageRecord(RequestId.next(), tk[0], tk[1], "deepseek-flash", URI.create("http://engine"),
                    true, Usage.of(i % 3000, 1000 + i % 500, 200 + i % 700, 0), now.minusMillis(800), now, Outcome.COMPLETED));
        });
    }

    private static double bareInserts(JdbcClient jdbc, List<UUID[]> tenants, int count, int threads) throws Exception {
        return parallel(count, threads, i -> {
            UUID[] tk = tenants.get(i % tenants.size());
            Timestamp now = Timestamp.from(Instant.now());
            jdbc.sql("""
                            INSERT INTO usage_record (request_id, tenant_id, api_key_id, model, endpoint, stream, prompt_tokens,
                                prompt_cache_hit_tokens, prompt_cache_miss_tokens, completion_tokens, reasoning_tokens, started_at,
                                completed_at, outcome)
                            VALUES (?, ?, ?, 'deepseek-flash', 'http://engine', true, ?, ?, ?, ?, 0, ?, ?, 'COMPLETED')
                            ON CONFLICT (request_id) DO NOTHING""")
                    .params(RequestId.next(), tk[0], tk[1], 1000 + i % 3000 + i % 500, i % 3000, 1000 + i % 500,
                            200 + i % 700, now, now)
                    .update();
        });
    }

    /** The recorder's batches so far: how many, records in them, time in their transactions. */
    private record Batches(long count, double records, double commitMillis) {

        static Batches now() {
            var sizes = Metrics.globalRegistry.find(UsageRecorder.BATCH_METRIC).summary();
            var commits = Metrics.globalRegistry.find("maas.usage.batch.commit").timer();
            return sizes == null || commits == null ? new Batches(0, 0, 0)
                    : new Batches(sizes.count(), sizes.totalAmount(), commits.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
        }

        String since(Batches before) {
            long n = count - before.count;
            return n == 0 ? "not measured" : "%d batches, %.0f records per batch, %.1f ms per batch transaction (mean)"
                    .formatted(n, (records - before.records) / n, (commitMillis - before.commitMillis) / n);
        }
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    /** Runs {@code count} tasks on {@code threads} virtual threads; tasks per second. */
    private static double parallel(int count, int threads, Task task) throws Exception {
        var next = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(executor.submit(() -> {
                    for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.run((int) i);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * {@code records} ledger entries of one tenant spread over the month, priced as deepseek-2026 would
     * (peak ×1, off-peak ×0.5 of ¥0.04 / ¥2 / ¥8 per million), then the roll-up built from them.
     */
    private static void generate(JdbcClient jdbc, UUID tenant, UUID key, long records) {
        jdbc.sql("""
                        INSERT INTO usage_ledger (request_id, occurred_at, tenant_id, api_key_id, model, price_book, price_book_version,
                            tier, priced_at, currency, cache_hit_tokens, cache_miss_tokens, output_tokens, cache_hit_amount,
                            cache_miss_amount, output_amount, amount)
                        SELECT 'gen-' || g, at, ?, ?, 'deepseek-flash', 'deepseek-2026', '2026-01', tier, at, 'CNY', hit, miss, out,
                               hit * 0.04 * f / 1000000, miss * 2 * f / 1000000, out * 8 * f / 1000000,
                               (hit * 0.04 + miss * 2 + out * 8) * f / 1000000
                        FROM (SELECT g, at, hit, miss, out,
                                     CASE WHEN extract(hour FROM at) BETWEEN 1 AND 9 THEN 'peak' ELSE 'off-peak' END AS tier,
                                     CASE WHEN extract(hour FROM at) BETWEEN 1 AND 9 THEN 1 ELSE 0.5 END AS f
                              FROM (SELECT g, timestamptz '2026-10-01 00:00:00+00' + (g % 2678400) * interval '1 second' AS at,
                                           (g * 7919) % 4000 AS hit, 500 + (g * 104729) % 3000 AS miss, 100 + (g * 1299709) % 1500 AS out
                                    FROM generate_series(1, ?) AS g) s) p""")
                .params(tenant, key, records).update();
        jdbc.sql("""
                        INSERT INTO usage_daily (tenant_id, day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens,
                            output_tokens, cache_hit_amount, cache_miss_amount, output_amount, amount)
                        SELECT tenant_id, (occurred_at AT TIME ZONE 'UTC')::date, model, tier, currency, count(*), sum(cache_hit_tokens),
                               sum(cache_miss_tokens), sum(output_tokens), sum(cache_hit_amount), sum(cache_miss_amount), sum(output_amount), sum(amount)
                        FROM usage_ledger WHERE tenant_id = ? AND request_id LIKE 'gen-%'
                        GROUP BY 1, 2, 3, 4, 5""")
                .param(tenant).update();
        jdbc.sql("ANALYZE").update();
    }

    private static double statementThroughRest(String url, String user, String password, UUID tenant) throws Exception {
        try (var context = new SpringApplicationBuilder(TenantServiceApplication.class)
                .properties("spring.config.name=ledger-bench", "server.port=0", "spring.threads.virtual.enabled=true",
                        "spring.jpa.open-in-view=false", "spring.datasource.url=" + url, "spring.datasource.username=" + user,
                        "spring.datasource.password=" + password, "platform.tenant.admin-password=" + ADMIN_PASSWORD)
                .run()) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            var http = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant + "/statements/" + MONTH))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/json").build();
            return median(5, () -> {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("statement answered " + response.statusCode() + ": " + response.body());
                }
            });
        }
    }

    private interface Timed {
        void run() throws Exception;
    }

    /** Milliseconds, median of {@code runs} after one warm-up. */
    private static double median(int runs, Timed timed) throws Exception {
        timed.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            timed.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[runs / 2];
    }


}
