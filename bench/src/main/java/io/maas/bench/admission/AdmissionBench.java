package io.maas.bench.admission;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.maas.api.openai.RequestId;
import io.maas.bench.BenchDatabase;
import io.maas.bench.Results;
import io.maas.gateway.GatewayApplication;
import io.maas.gateway.admission.Admission;
import io.maas.gateway.admission.Admitter;
import io.maas.gateway.admission.Demand;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.auth.CallerKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admission overhead per request: the gateway's {@link Admitter} admitting and then settling a chat
 * request (what {@code ChatCompletionsController} adds between resolving the model and calling the
 * engine, and after settling), at {@code concurrency} concurrent requests (default 64), for:
 * <ol>
 *   <li>the reference: a key with no limits set (policy lookup from its cache only);</li>
 *   <li>requests-, tokens-per-minute and concurrency limits on tenant and key, in-process store;</li>
 *   <li>the same limits in Redis (a redis-server of its own on a free loopback port);</li>
 *   <li>the same limits plus a monthly spend limit, reserved in PostgreSQL (in-process store);</li>
 *   <li>the same plus a prepaid balance, one tenant, and spread over {@value #TENANTS} prepaid tenants (issue 12's
 *       admission goals), each tenant a steady stream of {@value #PER_TENANT} requests (the row has at least
 *       {@value #TENANTS} × {@value #PER_TENANT}), each row with the PostgreSQL transactions it committed per request.</li>
 * </ol>
 * All in one run, on a throwaway database of the local PostgreSQL. Limits are high enough that
 * nothing is refused. Options: {@code requests} per configuration (default 16,000), {@code concurrency}.
 */
public final class AdmissionBench {

    private static final String BODY = "{\"model\":\"bench\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
            + "{\"role\":\"user\",\"content\":\"Hello, how are you today?\"}],\"max_tokens\":64,\"stream\":true}";

    private static final int TENANTS = 2_000;
    /** Requests each of the {@value #TENANTS} tenants sends in their row, one every {@value #TENANTS} requests. */
    private static final int PER_TENANT = 16;
    /** What a request in flight waits for between admission and settlement (its engine), in the rows with requests in flight. */
    private static final long ENGINE_MILLIS = 5;

    /** A row: who calls ({@code callers} in turn), through which admitter, how many requests, and whether money is reserved. */
    private record Configuration(String name, String store, Admitter admitter, List<CallerKey> callers, int requests,
                                 DurableReservations reservations) {
    }

    private AdmissionBench() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("requests", 16_000);
        int concurrency = Integer.getInteger("concurrency", 64);
        int redisPort = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BenchDatabase db = new BenchDatabase("admission")) {
            awaitPort(redisPort);
            run(db.url(), db.user(), db.password(), "redis://127.0.0.1:" + redisPort, requests, concurrency);
        } finally {
            redis.destroy();
        }
    }

    private static void run(String url, String user, String password, String redisUri, int requests, int concurrency) throws Exception {
        CallerKey none = caller(url, user, password, false, false);
        CallerKey rated = caller(url, user, password, true, false);
        CallerKey ratedRedis = caller(url, user, password, true, false);
        CallerKey spend = caller(url, user, password, true, true);
        CallerKey prepaid = caller(url, user, password, true, true, true);
        List<CallerKey> many = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            for (int i = 0; i < TENANTS; i++) {
                many.add(caller(db, true, true, true));
            }
        }
        var results = new Results("admission", "Admission overhead per request (admit + settle), " + concurrency + " concurrent",
                "configuration", "store", "between admit and settle", "requests", "p50", "p99", "p50 over reference",
                "p99 over reference", "PostgreSQL transactions per request");
        try (var memory = gateway(url, user, password, "memory", redisUri);
             var shared = gateway(url, user, password, "redis", redisUri);
             var redisTime = new RedisTime(redisUri)) {
            Admitter memoryAdmitter = memory.getBean(Admitter.class);
            Admitter redisAdmitter = shared.getBean(Admitter.class);
            JsonMapper json = memory.getBean(JsonMapper.class);
            DurableReservations jdbc = memory.getBean(DurableReservations.class);
            var database = new Transactions(url, user, password, List.of(memory.getBean(HikariDataSource.class),
                    shared.getBean(HikariDataSource.class)));
            int manyRequests = Math.max(requests, TENANTS * PER_TENANT);
            List<Configuration> configurations = List.of(
                    new Configuration("no limits set (reference)", "-", memoryAdmitter, List.of(none), requests, null),
                    new Configuration("RPM + TPM + concurrency, tenant and key", "memory", memoryAdmitter, List.of(rated), requests, null),
                    new Configuration("RPM + TPM + concurrency, tenant and key", "redis", redisAdmitter, List.of(ratedRedis), requests, null),
                    new Configuration("the same + monthly spend limit (PostgreSQL reservation)", "memory", memoryAdmitter, List.of(spend),
                            requests, jdbc),
                    new Configuration("the same + prepaid balance, one tenant", "memory", memoryAdmitter, List.of(prepaid), requests, jdbc),
                    new Configuration("the same, " + TENANTS + " prepaid tenants at once, " + manyRequests / TENANTS + " requests each",
                            "memory", memoryAdmitter, many, manyRequests, jdbc));
            for (var configuration : configurations) { // warm-up: a quarter of each
                measure(configuration.admitter(), json, configuration.callers(), configuration.requests() / 4, concurrency,
                        configuration.reservations(), 0);
            }
            database.mark(); // the warm-up's transactions are not counted
            long[] prepaidInFlight = null;
            for (long engineMillis : new long[] {0, ENGINE_MILLIS}) {
                long[] reference = null;
                for (var configuration : configurations) {
                    redisTime.reset();
                    long[] nanos = measure(configuration.admitter(), json, configuration.callers(), configuration.requests(), concurrency,
                            configuration.reservations(), engineMillis);
                    double transactions = database.perRequest(configuration.requests());
                    reference = reference == null ? nanos : reference;
                    results.row(configuration.name(), configuration.store(), engineMillis == 0 ? "nothing (back to back)"
                                    : engineMillis + " ms (the engine)", nanos.length, micros(percentile(nanos, 50)),
                            micros(percentile(nanos, 99)), micros(percentile(nanos, 50) - percentile(reference, 50)),
                            micros(percentile(nanos, 99) - percentile(reference, 99)), "%.2f".formatted(transactions));
                    if (configuration.store().equals("redis")) {
                        results.note("Redis's own time in the admission scripts (acquire and settle, INFO commandstats), %s: %.1f µs per request."
                                .formatted(engineMillis == 0 ? "back to back" : "in flight", redisTime.microsPerRequest(configuration.requests())));
                    }
                    if (configuration.callers().size() == TENANTS) {
                        results.note(("%s, %s: reservation rows written (blocks, and requests reserved alone) per request: %.3f; in all: %s.")
                                .formatted(configuration.name(), engineMillis == 0 ? "back to back" : "in flight",
                                        database.reservationsPerRequest(configuration.requests()), database.breakdown()));
                    } else if (configuration.callers().getFirst() == prepaid && engineMillis > 0) {
                        prepaidInFlight = nanos;
                    }
                }
            }
            results.note("Goal (issue 12): one tenant, " + concurrency + " concurrent, spend limit and prepaid balance: p99 ≤ 1 ms; "
                    + TENANTS + " tenants without a per-request database round trip. This run, requests in flight: p99 "
                    + micros(percentile(prepaidInFlight, 99)) + " (one tenant); the transactions per request are in the table.");
        }
        results.note("Time of Admitter.admit (policy lookup from its cache, prompt upper bound, store script or lock, headers) plus "
                + "Admission.settle, per request, measured in the gateway's JVM with virtual threads; no HTTP, no engine. Back to back: each "
                + "of the " + concurrency + " threads admits and settles in a loop, so " + concurrency + " runnable threads share 2 cores and a "
                + "request's time includes waiting for a core behind the others (what the p99 of those rows mostly is). In flight: each "
                + "request waits " + ENGINE_MILLIS + " ms between admit and settle, as a request waits for its engine, not timed; " + concurrency
                + " such requests are always in flight, which is the goal's case.");
        results.note("Redis: a redis-server of the run's own on loopback, one Lettuce connection shared by all threads; PostgreSQL local, "
                + "throwaway database. Limits high enough that nothing is refused. One run after a warm-up of a quarter of each row. Limits "
                + "and price books are read again in the background (platform.gateway.admission.policy-cache-ttl), in one query for many "
                + "tenants.");
        results.note("All concurrent requests of a row belong to one tenant and key (the worst case for the per-tenant advisory lock of "
                + "the PostgreSQL reservation and for the shared Redis keys), except the " + TENANTS + "-tenant row: request i is tenant "
                + "i mod " + TENANTS + "'s, so each tenant sends a steady stream, one request every " + TENANTS + ", and its " + concurrency
                + " concurrent requests belong to " + concurrency + " tenants. A request here is ended without spending (as one that did not "
                + "run), so a block's room comes back and only its time or idleness ends it. 2 cores run the JVM, Redis and PostgreSQL.");
        results.save(Path.of("bench/results"));
    }

    /**
     * The bench database's committed transactions ({@code pg_stat_database}) and the reservation rows inserted in it
     * (blocks and requests reserved alone, {@code pg_stat_user_tables}), per request since the last call. An idle
     * PostgreSQL 15 backend reports its statistics up to 10 s late, so the gateways' pooled connections are closed
     * (their backends report as they exit) before each reading.
     */
    private static final class Transactions {

        private static final String[] COUNTED = {"transactions", "reservation rows inserted", "updated", "deleted",
                "scans of limit_policy (one per element of an ANY array)", "of tenant", "of price_book"};

        private final String url;
        private final String user;
        private final String password;
        private final List<HikariDataSource> pools;
        private long[] last;
        private long[] delta = new long[COUNTED.length];

        Transactions(String url, String user, String password, List<HikariDataSource> pools) throws SQLException, InterruptedException {
            this.url = url;
            this.user = user;
            this.password = password;
            this.pools = pools;
            this.last = counts();
        }

        /** Starts counting from now. */
        void mark() throws SQLException, InterruptedException {
            last = counts();
        }

        double perRequest(int requests) throws SQLException, InterruptedException {
            long[] now = counts();
            for (int i = 0; i < now.length; i++) {
                delta[i] = now[i] - last[i];
            }
            last = now;
            return Math.max(0, (delta[0] - 1) / (double) requests); // less this query's own
        }

        /** Reservation rows inserted per request in the span of the last {@link #perRequest}. */
        double reservationsPerRequest(int requests) {
            return delta[1] / (double) requests;
        }

        /** What PostgreSQL did in the span of the last {@link #perRequest}: rows written and tables read, by table. */
        String breakdown() {
            StringBuilder text = new StringBuilder();
            for (int i = 1; i < COUNTED.length; i++) {
                text.append(i == 1 ? "" : ", ").append(COUNTED[i]).append(' ').append(delta[i]);
            }
            return text.toString();
        }

        private long[] counts() throws SQLException, InterruptedException {
            Thread.sleep(1_100); // what the row started in the background (a block taken ahead, one given back) ends
            pools.forEach(pool -> pool.getHikariPoolMXBean().softEvictConnections());
            Thread.sleep(500);
            try (Connection db = DriverManager.getConnection(url, user, password);
                 var st = db.createStatement()) {
                st.execute("SELECT pg_stat_clear_snapshot()");
                try (var rs = st.executeQuery("""
                        SELECT xact_commit,
                               (SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'admission_reservation'),
                               (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'admission_reservation'),
                               (SELECT n_tup_del FROM pg_stat_user_tables WHERE relname = 'admission_reservation'),
                               (SELECT sum(seq_scan + COALESCE(idx_scan, 0)) FROM pg_stat_user_tables WHERE relname = 'limit_policy'),
                               (SELECT sum(seq_scan + COALESCE(idx_scan, 0)) FROM pg_stat_user_tables WHERE relname = 'tenant'),
                               (SELECT sum(seq_scan + COALESCE(idx_scan, 0)) FROM pg_stat_user_tables WHERE relname = 'price_book')
                        FROM pg_stat_database WHERE datname = current_database()""")) {
                    rs.next();
                    long[] counts = new long[COUNTED.length];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = rs.getLong(i + 1);
                    }
                    return counts;
                }
            }
        }
    }

    /** The time Redis spent running scripts ({@code EVALSHA}, and {@code EVAL} when it did not know one yet), as Redis counts it. */
    private static final class RedisTime implements AutoCloseable {

        private static final Pattern SCRIPTS = Pattern.compile("^cmdstat_(?:evalsha|eval):calls=\\d+,usec=(\\d+)", Pattern.MULTILINE);

        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;

        RedisTime(String uri) {
            client = RedisClient.create(uri);
            connection = client.connect();
        }

        void reset() {
            connection.sync().configResetstat();
        }

        double microsPerRequest(int requests) {
            long micros = 0;
            for (Matcher script = SCRIPTS.matcher(connection.sync().info("commandstats")); script.find(); ) {
                micros += Long.parseLong(script.group(1));
            }
            return micros / (double) requests;
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    /**
     * Nanoseconds of admit + settle of {@code requests} requests, {@code concurrency} at a time, sorted; with {@code engineMillis},
     * each request waits that long between the two (not timed). With {@code reservations}, the money reservation is also ended
     * (DurableReservations.end: in memory for a request held in a block, one DELETE for one reserved alone), and that is timed too.
     */
    private static long[] measure(Admitter admitter, JsonMapper json, List<CallerKey> callers, int requests, int concurrency,
                                  DurableReservations reservations, long engineMillis) throws Exception {
        long[] nanos = new long[requests];
        long promptBytes = json.writeValueAsBytes(json.readTree(BODY).get("messages")).length;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                int first = t;
                futures.add(threads.submit(() -> {
                    for (int i = first; i < requests; i += concurrency) {
                        String id = RequestId.next();
                        long start = System.nanoTime();
                        CallerKey caller = callers.get(i % callers.size());
                        Admission admission = admitter.admit(caller, new Demand(id, "bench", OptionalLong.of(64), promptBytes), Instant.now());
                        long admitted = System.nanoTime();
                        if (engineMillis > 0) {
                            Thread.sleep(engineMillis);
                        }
                        long settling = System.nanoTime();
                        admission.settle(120);
                        if (reservations != null) {
                            reservations.end(id);
                        }
                        nanos[i] = admitted - start + System.nanoTime() - settling;
                    }
                    return null;
                }));
            }
            for (var future : futures) {
                future.get();
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static ConfigurableApplicationContext gateway(String url, String user, String password, String store, String redisUri) {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=admission-bench", "server.port=0", "spring.threads.virtual.enabled=true",
                        "spring.datasource.url=" + url, "spring.datasource.username=" + user, "spring.datasource.password=" + password,
                        "spring.datasource.hikari.maximum-pool-size=16", "logging.level.root=WARN",
                        "platform.gateway.models[0].name=bench", "platform.gateway.models[0].endpoints[0]=http://127.0.0.1:1",
                        "platform.gateway.admission.store=" + store, "platform.gateway.admission.redis.uri=" + redisUri)
                .run();
    }

    private static CallerKey caller(String url, String user, String password, boolean rated, boolean spend) throws SQLException {
        return caller(url, user, password, rated, spend, false);
    }

    /**
     * A new tenant and key; with {@code rated} high rate limits on both, with {@code spend} a tenant spend limit and a price
     * book, with {@code prepaid} a prepaid tenant with a large balance.
     */
    private static CallerKey caller(String url, String user, String password, boolean rated, boolean spend, boolean prepaid)
            throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            return caller(db, rated, spend, prepaid);
        }
    }

    private static CallerKey caller(Connection db, boolean rated, boolean spend, boolean prepaid) throws SQLException {
        UUID tenant = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        update(db, "INSERT INTO tenant (id, name) VALUES (?, ?)", tenant, "bench-" + tenant);
        update(db, "INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'bench', 'sk-bench', ?)",
                key, tenant, UUID.randomUUID().toString().substring(0, 32).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (rated) {
            for (UUID scopeKey : Arrays.asList(null, key)) {
                update(db, "INSERT INTO limit_policy (tenant_id, api_key_id, requests_per_minute, tokens_per_minute, max_concurrent_requests)"
                        + " VALUES (?, ?, 1000000000, 1000000000000, 1000000)", tenant, scopeKey);
            }
        }
        if (spend) {
            update(db, "UPDATE limit_policy SET monthly_spend_limit = 1000000000, monthly_spend_currency = 'CNY' WHERE tenant_id = ? AND api_key_id IS NULL", tenant);
            UUID book = UUID.randomUUID();
            update(db, "INSERT INTO price_book (id, name) VALUES (?, ?)", book, "bench-" + book);
            update(db, "INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', '2020-01-01T00:00:00Z', ?::jsonb)",
                    book, "{\"version\":\"v1\",\"effectiveFrom\":\"2020-01-01T00:00:00Z\",\"models\":{\"bench\":{\"cacheHit\":\"0.5\",\"cacheMiss\":\"2\","
                            + "\"output\":\"8\",\"currency\":\"CNY\"}},\"schedule\":{\"timezone\":\"UTC\",\"defaultTier\":\"standard\","
                            + "\"tiers\":[{\"name\":\"standard\",\"pricing\":{\"multiplier\":\"1\"}}]}}");
            update(db, "UPDATE tenant SET price_book_id = ? WHERE id = ?", book, tenant);
        }
        if (prepaid) {
            update(db, "UPDATE tenant SET billing_mode = 'PREPAID' WHERE id = ?", tenant);
            update(db, "INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) "
                    + "VALUES (?, ?, 'TOP_UP', 'CNY', 1000000000, 'bench')", UUID.randomUUID(), tenant);
        }
        return new CallerKey(key, tenant, "sk-bench", null);
    }

    private static void update(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1000.0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server (on the PATH) did not listen on port " + port + " within 10 s");
    }


}
