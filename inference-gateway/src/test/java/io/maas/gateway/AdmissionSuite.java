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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Admission limits end to end, against {@link #replicas()} real gateways (Spring contexts on random
 * ports in this JVM) sharing one PostgreSQL and the counter store of the subclass, in front of a
 * {@link ScriptedEngine} that records every request reaching it. Requests are spread over the
 * replicas in turn. Every test has its own tenant and key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdmissionSuite {

    static final Duration BINDS_WITHIN = Duration.ofSeconds(5);
    /** ¥ per million tokens of model "scripted": cache hit, cache miss, output. */
    static final BigDecimal HIT = new BigDecimal("10");
    static final BigDecimal MISS = new BigDecimal("100");
    static final BigDecimal OUT = new BigDecimal("1000");

    final ScriptedEngine engine = ScriptedEngine.start();
    final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    final List<Integer> ports = new ArrayList<>();
    private int next;
    private UUID book;

    /** How many gateway replicas to start. */
    abstract int replicas();

    /** The admission properties of every replica ({@code key=value}). */
    abstract List<String> admissionProperties();

    @BeforeAll
    void startGateways() throws SQLException {
        for (int i = 0; i < replicas(); i++) {
            startGateway();
        }
        book = UUID.randomUUID();
        var prices = new ModelPrices(HIT, MISS, OUT, Currency.CNY);
        var schedule = new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(new Tier("standard", List.of(), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null);
        sql("INSERT INTO price_book (id, name) VALUES (?, ?)", book, "admission-" + book);
        sql("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', ?, ?::jsonb)",
                book, Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")),
                PricingJson.write(new PriceBookVersion("v1", Instant.parse("2020-01-01T00:00:00Z"), Map.of("scripted", prices), schedule)));
    }

    void startGateway() {
        TestDatabase db = TestDatabase.get();
        List<String> properties = new ArrayList<>(List.of("spring.config.name=admission-gateway", "server.port=0",
                "spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.username(),
                "spring.datasource.password=" + db.password(), "spring.datasource.hikari.maximum-pool-size=20",
                "platform.gateway.models[0].name=scripted", "platform.gateway.models[0].endpoints[0]=" + engine.uri()));
        properties.addAll(admissionProperties());
        var context = new SpringApplicationBuilder(GatewayApplication.class).properties(properties.toArray(String[]::new)).run();
        gateways.add(context);
        ports.add(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @AfterAll
    void stopGateways() {
        gateways.forEach(ConfigurableApplicationContext::close);
        engine.close();
    }

    /** A tenant (prepaid with {@code topUp} when not null, priced by the test book) and a key: {id, tenant, secret}. */
    record Caller(UUID keyId, UUID tenantId, String secret) {
    }

    Caller caller(String billing, String topUp) throws SQLException {
        UUID tenant = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        String secret = ApiKeySecret.generate();
        sql("INSERT INTO tenant (id, name, billing_mode, price_book_id) VALUES (?, ?, ?, ?)", tenant, "admission-" + tenant, billing, book);
        sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', ?, ?)",
                key, tenant, ApiKeySecret.prefix(secret), ApiKeySecret.hash(secret));
        if (topUp != null) {
            sql("INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) VALUES (?, ?, 'TOP_UP', 'CNY', ?, 'test')",
                    UUID.randomUUID(), tenant, new BigDecimal(topUp));
        }
        return new Caller(key, tenant, secret);
    }

    /** Sets limits on the key ({@code key=true}) or its tenant, e.g. {@code "requests_per_minute", 5}. */
    void limit(Caller caller, boolean key, String column, Object value) throws SQLException {
        sql("INSERT INTO limit_policy (tenant_id, api_key_id, " + column + (column.equals("monthly_spend_limit") ? ", monthly_spend_currency" : "")
                + ") VALUES (?, ?, ?" + (column.equals("monthly_spend_limit") ? ", 'CNY'" : "") + ")"
                + " ON CONFLICT (tenant_id, api_key_id, model, layer) DO UPDATE SET " + column + " = EXCLUDED." + column,
                caller.tenantId(), key ? caller.keyId() : null, value);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aSpendLimitHoldsUnder200ConcurrentStreamsAndEveryRefusalNeverReachedAnEngine() throws Exception {
        Caller caller = caller("POSTPAID", null);
        BigDecimal limit = new BigDecimal("0.30");
        limit(caller, false, "monthly_spend_limit", limit);

        List<HttpResponse<String>> answers = concurrently(200, i -> chat(caller.secret(), "slow-spend", true, 10));

        List<String> admitted = ids(answers, 200);
        List<String> refused = ids(answers, 429);
        assertThat(admitted.size() + refused.size()).as("every answer is 200 or 429").isEqualTo(200);
        assertThat(admitted).as("some are admitted").isNotEmpty();
        assertThat(refused).as("the limit admits only some").isNotEmpty();
        assertThat(answers.stream().filter(a -> a.statusCode() == 429)).allMatch(a -> a.body().contains("\"code\":\"insufficient_quota\""));
        assertThat(engine.seen).as("admitted requests reached the engine").containsAll(admitted);
        assertThat(engine.seen).as("refused requests never reached an engine").doesNotContainAnyElementsOf(refused);
        BigDecimal spent = decimal("SELECT COALESCE(sum(amount), 0) FROM usage_ledger WHERE tenant_id = ?", caller.tenantId());
        assertThat(spent).as("settled spend").isLessThanOrEqualTo(limit).isPositive();
        assertThat(decimal("SELECT count(*) FROM usage_record WHERE tenant_id = ?", caller.tenantId())).isEqualByComparingTo(BigDecimal.valueOf(admitted.size()));
        // blocks (reservations for several requests) give back within their idle time once their requests ended
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(decimal("SELECT count(*) FROM admission_reservation WHERE tenant_id = ?", caller.tenantId()))
                        .as("no reservation left").isZero());
    }

    @Test
    void tokensPerMinuteAreNeverExceededAcrossReplicas() throws Exception {
        Caller caller = caller("POSTPAID", null);
        long tpm = 2_000;
        limit(caller, true, "tokens_per_minute", tpm);

        List<HttpResponse<String>> answers = concurrently(60, i -> chat(caller.secret(), "slow-tpm", true, 200));

        assertThat(ids(answers, 200)).isNotEmpty();
        assertThat(ids(answers, 429)).isNotEmpty();
        HttpResponse<String> ok = answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow();
        assertThat(ok.headers().firstValue("x-ratelimit-limit-tokens")).hasValue(Long.toString(tpm));
        assertThat(ok.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
        assertThat(ok.headers().firstValue("x-ratelimit-reset-tokens")).isPresent();
        HttpResponse<String> no = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
        assertThat(no.body()).contains("\"code\":\"rate_limit_exceeded\"");
        assertThat(no.headers().firstValue("retry-after")).isPresent();
        assertThat(engine.seen).doesNotContainAnyElementsOf(ids(answers, 429));
        try (Connection db = TestDatabase.get().connect();
             PreparedStatement st = db.prepareStatement("SELECT date_trunc('minute', started_at) AS m, sum(prompt_tokens + completion_tokens)"
                     + " FROM usage_record WHERE api_key_id = ? GROUP BY m")) {
            st.setObject(1, caller.keyId());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getLong(2)).as("tokens of the minute %s", rs.getTimestamp(1)).isLessThanOrEqualTo(tpm);
                }
            }
        }
    }

    @Test
    void requestsPerMinuteAndConcurrencyAnswer429WithRetryAfterAndHeaders() throws Exception {
        Caller caller = caller("POSTPAID", null);
        limit(caller, true, "requests_per_minute", 1_000);
        limit(caller, false, "max_concurrent_requests", 3);

        List<HttpResponse<String>> answers = concurrently(12, i -> chat(caller.secret(), "slow-concurrency", true, 10));

        assertThat(engine.mostAtOnce.get("slow-concurrency").get()).as("most requests at once at the engine").isLessThanOrEqualTo(3);
        assertThat(ids(answers, 429)).isNotEmpty();
        assertThat(answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow().headers().firstValue("retry-after")).hasValue("1");

        Caller rated = caller("POSTPAID", null);
        limit(rated, true, "requests_per_minute", 3);
        List<HttpResponse<String>> sequential = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sequential.add(chat(rated.secret(), "ok", false, 5));
        }
        if (sequential.get(3).statusCode() == 200) {
            return; // the four straddled a minute boundary: two windows, each within its limit
        }
        assertThat(sequential.subList(0, 3)).allMatch(a -> a.statusCode() == 200);
        assertThat(sequential.get(2).headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(sequential.get(3).statusCode()).isEqualTo(429);
        assertThat(sequential.get(3).headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
        assertThat(Long.parseLong(sequential.get(3).headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    }

    @Test
    void listingModelsCarriesTheRateLimitHeadersAndCountsAgainstNone() throws SQLException {
        Caller rated = caller("POSTPAID", null);
        limit(rated, true, "requests_per_minute", 5);
        assertThat(chat(rated.secret(), "ok", false, 5).statusCode()).isEqualTo(200);

        List<HttpResponse<String>> listings = new ArrayList<>();
        for (int port : ports) {
            listings.add(send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                    .header("Authorization", "Bearer " + rated.secret()).GET().build()));
        }
        if (listings.stream().anyMatch(a -> "5".equals(a.headers().firstValue("x-ratelimit-remaining-requests").orElse(null)))) {
            return; // the calls straddled a minute boundary: the listing saw a new window
        }
        for (HttpResponse<String> listing : listings) {
            assertThat(listing.statusCode()).isEqualTo(200);
            assertThat(listing.headers().firstValue("x-ratelimit-limit-requests")).hasValue("5");
            assertThat(listing.headers().firstValue("x-ratelimit-remaining-requests")).as("the listing itself is not counted").hasValue("4");
            assertThat(listing.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
        }
    }

    @Test
    void aPrepaidBalanceThatCannotCoverTheWorstCaseIs402AndNeverReachesAnEngine() throws Exception {
        Caller poor = caller("PREPAID", "0.001");

        var answer = chat(poor.secret(), "ok", false, 100);

        assertThat(answer.statusCode()).isEqualTo(402);
        assertThat(answer.body()).contains("Insufficient Balance", "\"code\":\"insufficient_balance\"");
        assertThat(engine.seen).doesNotContain(answer.headers().firstValue("x-request-id").orElseThrow());
    }

    @Test
    void aClientLeavingMidStreamIsBilledExactlyTheEnginesCount() throws Exception {
        Caller caller = caller("PREPAID", "10");
        limit(caller, true, "tokens_per_minute", 1_000_000);
        var request = request(caller.secret(), "slow-leave", true, 50);

        var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        try (InputStream body = response.body()) {
            body.readNBytes(40);
        }

        Map<String, String> row = awaitRecord(id);
        assertThat(row).containsEntry("outcome", "CLIENT_CANCELLED").containsEntry("completion_tokens", "2").containsEntry("prompt_tokens", "7");
        BigDecimal expected = HIT.multiply(BigDecimal.valueOf(4)).add(MISS.multiply(BigDecimal.valueOf(3))).add(OUT.multiply(BigDecimal.TWO))
                .movePointLeft(6);
        assertThat(decimal("SELECT amount FROM usage_ledger WHERE request_id = ?", id)).isEqualByComparingTo(expected);
        assertThat(awaitZero("SELECT count(*) FROM admission_reservation WHERE request_id = ?", id)).as("reservation released").isTrue();
    }

    @Test
    void aRevokedKeyAndALoweredLimitBindEveryReplicaWithinFiveSeconds() throws Exception {
        Caller caller = caller("POSTPAID", null);
        limit(caller, true, "requests_per_minute", 1_000);
        assertEveryReplica(caller.secret(), 200);

        Instant lowered = Instant.now();
        limit(caller, true, "requests_per_minute", 0);
        assertThat(everyReplicaAnswersWithin(caller.secret(), 429, lowered)).as("429 on every replica within 5 s").isTrue();

        Caller revoked = caller("POSTPAID", null);
        assertEveryReplica(revoked.secret(), 200);
        Instant revokedAt = Instant.now();
        sql("UPDATE api_key SET revoked_at = now() WHERE id = ?", revoked.keyId());
        assertThat(everyReplicaAnswersWithin(revoked.secret(), 401, revokedAt)).as("401 on every replica within 5 s").isTrue();
    }

    // ---------------------------------------------------------------- helpers

    void assertEveryReplica(String secret, int status) {
        for (int port : ports) {
            assertThat(send(port, request(port, secret, "ok", false, 5)).statusCode()).isEqualTo(status);
        }
    }

    boolean everyReplicaAnswersWithin(String secret, int status, Instant since) throws InterruptedException {
        List<Integer> pending = new ArrayList<>(ports);
        while (Instant.now().isBefore(since.plus(BINDS_WITHIN))) {
            pending.removeIf(port -> send(port, request(port, secret, "ok", false, 5)).statusCode() == status);
            if (pending.isEmpty()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    interface Call {
        HttpResponse<String> run(int i) throws Exception;
    }

    List<HttpResponse<String>> concurrently(int n, Call call) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> call.run(index)));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (var future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
    }

    static List<String> ids(List<HttpResponse<String>> answers, int status) {
        return answers.stream().filter(a -> a.statusCode() == status).map(a -> a.headers().firstValue("x-request-id").orElseThrow()).toList();
    }

    /** A chat request to the next replica in turn. */
    HttpResponse<String> chat(String secret, String content, boolean stream, int maxTokens) {
        int port = ports.get(Math.floorMod(next++, ports.size()));
        return send(port, request(port, secret, content, stream, maxTokens));
    }

    HttpRequest request(String secret, String content, boolean stream, int maxTokens) {
        return request(ports.get(Math.floorMod(next++, ports.size())), secret, content, stream, maxTokens);
    }

    HttpRequest request(int port, String secret, String content, boolean stream, int maxTokens) {
        String body = "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],\"stream\":" + stream
                + ",\"max_tokens\":" + maxTokens + "}";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> send(int port, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("gateway on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> awaitRecord(String requestId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            try (Connection db = TestDatabase.get().connect();
                 PreparedStatement st = db.prepareStatement("SELECT outcome, prompt_tokens, completion_tokens FROM usage_record WHERE request_id = ?")) {
                st.setString(1, requestId);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return Map.of("outcome", rs.getString(1), "prompt_tokens", rs.getString(2), "completion_tokens", rs.getString(3));
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no usage record of " + requestId + " within 10 s");
    }

    boolean awaitZero(String query, Object param) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (decimal(query, param).signum() == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    static BigDecimal decimal(String query, Object param) throws SQLException {
        try (Connection db = TestDatabase.get().connect(); PreparedStatement st = db.prepareStatement(query)) {
            st.setObject(1, param);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    static void sql(String sql, Object... params) throws SQLException {
        try (Connection db = TestDatabase.get().connect(); PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }
}
