package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
import io.maas.pricing.Currency;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.pricing.Tier;
import io.maas.pricing.TierPricing;
import io.maas.pricing.TierSchedule;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds live exactly as long as their gateway does. A stream running several admission leases keeps its
 * concurrency slot (in Redis) and its money hold (in PostgreSQL), because its gateway renews them; when
 * that gateway is killed with SIGKILL mid-stream they lapse within one lease, and nothing is lost: the
 * request was journalled before the engine was called, and another gateway process bills it from the
 * engine's receipt and ends its hold. Both gateways are the runnable jar, started as real processes,
 * sharing a Redis of this test's own.
 */
class GatewayCrashIT {

    /** Short, to see it pass; not shorter, so that a busy machine's pauses stay well within a third of it. */
    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final RedisServer redis = new RedisServer();
    private static final String KEY = ApiKeySecret.generate();

    @TempDir
    Path spool;

    @AfterAll
    static void stopEngineAndRedis() {
        engine.close();
        redis.close();
    }

    @Test
    void aStreamKeepsItsHoldsPastTheLeaseThenItsKilledGatewaysHoldsLapseAndItIsBilledFromTheReceipt() throws Exception {
        UUID tenant = prepaidTenantWithOneRequestAtOnce();
        Process first = gateway("first");
        Process second = gateway("second");
        String requestId;
        try {
            int firstPort = awaitPort(first, "first");
            int secondPort = awaitPort(second, "second");
            var response = HttpClient.newHttpClient().send(chat(firstPort, "stall", true), HttpResponse.BodyHandlers.ofLines());
            requestId = response.headers().firstValue("x-request-id").orElseThrow();
            assertThat(response.body().filter(line -> line.contains("Hel")).findFirst()).as("mid-stream").isPresent();
            Thread.sleep(LEASE.multipliedBy(7).dividedBy(4).toMillis()); // its first lease ended long ago

            assertThat(liveHolds(tenant)).as("the money hold of a stream running past its lease (the block it is held in)").isEqualTo(1);
            var refused = HttpClient.newHttpClient().send(chat(secondPort, "ok", false), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("the key's one slot is still held").isEqualTo(429);
            assertThat(refused.body()).contains("requests concurrently");
            assertThat(count("usage_record", requestId)).as("still running").isZero();
            assertThat(count("request_journal", requestId)).as("journalled while it runs").isEqualTo(1);

            first.destroyForcibly().waitFor(); // SIGKILL: nobody renews its holds any more
            await().atMost(LEASE.multipliedBy(2)).pollInterval(Duration.ofMillis(200)).until(() -> liveHolds(tenant) == 0
                    && HttpClient.newHttpClient().send(chat(secondPort, "ok", false), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            // the sweeper of the surviving gateway may bill it as soon as the dead one's holds lapse
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> count("usage_record", requestId) == 1);
        } finally {
            first.destroyForcibly().waitFor();
            second.destroyForcibly().waitFor();
        }
        assertThat(TestRows.one("SELECT outcome, prompt_tokens, completion_tokens FROM usage_record WHERE request_id = ?", requestId))
                .containsEntry("outcome", "GATEWAY_LOST").containsEntry("prompt_tokens", "7").containsEntry("completion_tokens", "2");
        assertThat(count("usage_ledger", requestId)).as("priced once").isEqualTo(1);
        assertThat(count("admission_reservation", requestId)).as("the hold ended").isZero();
        assertThat(count("request_journal", requestId)).isZero();
        await().alias("nothing of the tenant stays reserved past the stopped gateways' leases").atMost(LEASE.multipliedBy(2))
                .pollInterval(Duration.ofMillis(200)).until(() -> liveHolds(tenant) == 0);
    }

    /** A prepaid tenant (so every request holds money), priced by a book of its own, whose key may run one request at once. */
    private static UUID prepaidTenantWithOneRequestAtOnce() throws SQLException {
        UUID tenant = UUID.randomUUID();
        UUID book = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        var schedule = new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(new Tier("standard", List.of(), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null);
        TestRows.execute("INSERT INTO price_book (id, name) VALUES (?, ?)", book, "crash-it-" + book);
        TestRows.execute("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', ?, ?::jsonb)",
                book, Timestamp.from(from), PricingJson.write(new PriceBookVersion("v1", from,
                        Map.of("scripted", new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.TEN, Currency.CNY)), schedule)));
        TestRows.execute("INSERT INTO tenant (id, name, billing_mode, price_book_id) VALUES (?, ?, 'PREPAID', ?)", tenant, "crash-it-" + tenant, book);
        TestRows.execute("INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) VALUES (?, ?, 'TOP_UP', 'CNY', 10, 'test')",
                UUID.randomUUID(), tenant);
        TestRows.key(key, tenant, KEY);
        TestRows.execute("INSERT INTO limit_policy (tenant_id, api_key_id, max_concurrent_requests) VALUES (?, ?, 1)", tenant, key);
        return tenant;
    }

    private static HttpRequest chat(int port, String content, boolean stream) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + content + "\"}],\"stream\":" + stream + "}")).build();
    }

    /** The tenant's reservations within their lease that hold money: a request's own, or a block its requests are held in. */
    private static long liveHolds(UUID tenant) throws SQLException {
        return Long.parseLong(TestRows.one("SELECT count(*) AS n FROM admission_reservation WHERE tenant_id = ? AND expires_at > now()"
                + " AND amount > 0", tenant).get("n"));
    }

    private Process gateway(String name) throws Exception {
        TestDatabase db = TestDatabase.get();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> argv = List.of(ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1", "-jar",
                gatewayJar().toString(), "--server.port=" + port, "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--platform.gateway.models[0].name=scripted", "--platform.gateway.models[0].endpoints[0]=" + engine.uri(),
                "--platform.gateway.admission.store=redis", "--platform.gateway.admission.redis.uri=" + redis.uri(),
                "--platform.gateway.admission.lease=" + LEASE.toMillis() + "ms", "--platform.gateway.request-deadline=12s",
                "--platform.gateway.receipt-wait=1s",
                "--platform.gateway.journal-sweep-interval=1s", "--platform.gateway.usage-spool-dir=" + spool.resolve(name));
        Path log = Files.createDirectories(Path.of("target", "gateways")).resolve("crash-it-" + name + ".log");
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until gateway {@code name} logs that it started; returns its port. */
    private static int awaitPort(Process gateway, String name) throws Exception {
        Path log = Path.of("target", "gateways", "crash-it-" + name + ".log");
        var started = java.util.regex.Pattern.compile("Tomcat started on port (\\d+)");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).failFast("the gateway exited; see " + log, () -> !gateway.isAlive())
                .until(() -> Files.readString(log).lines().anyMatch(line -> started.matcher(line).find()));
        var port = Files.readString(log).lines().map(started::matcher).filter(java.util.regex.Matcher::find).findFirst().orElseThrow();
        return Integer.parseInt(port.group(1));
    }

    private static long count(String table, String requestId) throws SQLException {
        return Long.parseLong(TestRows.one("SELECT count(*) AS n FROM " + table + " WHERE request_id = ?", requestId).get("n"));
    }

    private static Path gatewayJar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
    }
}
