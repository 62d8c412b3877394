package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.Usage;
import io.maas.db.testing.TestDatabase;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.pricing.BatchClass;
import io.maas.pricing.Currency;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PriceClass;
import io.maas.pricing.PricingJson;
import io.maas.pricing.StatementRounding;
import io.maas.pricing.Tier;
import io.maas.pricing.TierPricing;
import io.maas.pricing.TierSchedule;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Settlement against a real PostgreSQL: every request priced with the tenant's book in force at its
 * completion, ledger entry and daily roll-up in the same transaction as the usage record, once per
 * request id; price-book versions switching while requests stream in; allowed models; balance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SettlementIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final String KEY = ApiKeySecret.generate();
    private static final String FAILOVER_ONLY_KEY = ApiKeySecret.generate();
    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID KEY_ID = UUID.randomUUID();
    private static final UUID BOOK = UUID.randomUUID();
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @Autowired
    UsageRecorder recorder;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "scripted");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.models[1].name", () -> "failover");
        registry.add("platform.gateway.models[1].endpoints[0]", () -> engine.uri().toString());
    }

    @BeforeAll
    static void tenantBookAndKeys() throws SQLException {
        TestRows.execute("INSERT INTO tenant (id, name, billing_mode) VALUES (?, ?, 'PREPAID')", TENANT, "settlement-" + TENANT);
        TestRows.execute("INSERT INTO price_book (id, name) VALUES (?, ?)", BOOK, "settlement-" + BOOK);
        TestRows.execute("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', ?, ?::jsonb)",
                BOOK, java.sql.Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")), PricingJson.write(version("v1", "2020-01-01T00:00:00Z", "1")));
        TestRows.execute("UPDATE tenant SET price_book_id = ? WHERE id = ?", BOOK, TENANT);
        TestRows.key(KEY_ID, TENANT, KEY);
        TestRows.execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash, allowed_models) VALUES (?, ?, 'f', ?, ?, ARRAY['failover'])",
                UUID.randomUUID(), TENANT, ApiKeySecret.prefix(FAILOVER_ONLY_KEY), ApiKeySecret.hash(FAILOVER_ONLY_KEY));
        TestRows.execute("INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) VALUES (?, ?, 'TOP_UP', 'CNY', 1, 'test')",
                UUID.randomUUID(), TENANT);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    /** Model "scripted" at ¥0.2 / ¥2 / ¥3 per million tokens times {@code factor}, one tier; batches at half that. */
    private static PriceBookVersion version(String id, String effectiveFrom, String factor) {
        BigDecimal f = new BigDecimal(factor);
        var prices = new ModelPrices(new BigDecimal("0.2").multiply(f), new BigDecimal("2").multiply(f), new BigDecimal("3").multiply(f), Currency.CNY);
        var schedule = new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(new Tier("standard", List.of(), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null);
        var batch = new BatchClass(List.of("standard"), TierPricing.multiplier(new BigDecimal("0.5")), Map.of());
        return new PriceBookVersion(id, Instant.parse(effectiveFrom), Map.of("scripted", prices), schedule, batch);
    }

    @Test
    void versionsSwitchMidStreamOfRequestsAtTheirInstantAndEveryRequestIsPricedExactlyOnce() throws Exception {
        Instant switchAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        TestRows.execute("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 2, 'v2', ?, ?::jsonb)",
                BOOK, java.sql.Timestamp.from(switchAt), PricingJson.write(version("v2", switchAt.toString(), "2")));
        List<String> ids = new ArrayList<>();
        while (Instant.now().isBefore(switchAt.plusSeconds(1))) {
            var response = send("POST", "/v1/chat/completions", KEY, chat("scripted", ids.size() % 2 == 0));
            assertThat(response.statusCode()).isEqualTo(200);
            ids.add(response.headers().firstValue("x-request-id").orElseThrow());
            Thread.sleep(100);
        }

        int before = 0;
        int after = 0;
        for (String id : ids) {
            Map<String, String> entry = TestRows.one("SELECT * FROM usage_ledger WHERE request_id = ?", id);
            boolean v2 = !rowInstant("SELECT occurred_at FROM usage_ledger WHERE request_id = ?", id).isBefore(switchAt);
            BigDecimal f = v2 ? BigDecimal.TWO : BigDecimal.ONE;
            BigDecimal expected = new BigDecimal(entry.get("cache_hit_tokens")).multiply(new BigDecimal("0.2"))
                    .add(new BigDecimal(entry.get("cache_miss_tokens")).multiply(BigDecimal.TWO))
                    .add(new BigDecimal(entry.get("output_tokens")).multiply(new BigDecimal("3")))
                    .multiply(f).divide(MILLION);
            assertThat(entry).containsEntry("price_book_version", v2 ? "v2" : "v1").containsEntry("tier", "standard")
                    .containsEntry("currency", "CNY");
            assertThat(new BigDecimal(entry.get("amount"))).as("request " + id).isEqualByComparingTo(expected);
            if (v2) {
                after++;
            } else {
                before++;
            }
        }
        assertThat(before).as("requests priced by v1").isPositive();
        assertThat(after).as("requests priced by v2").isPositive();
        assertThat(TestRows.one("SELECT count(*) AS n FROM usage_ledger WHERE tenant_id = ?", TENANT).get("n"))
                .isEqualTo(TestRows.one("SELECT count(*) AS n FROM usage_record WHERE tenant_id = ?", TENANT).get("n"));
    }

    @Test
    void theDailyRollUpEqualsTheLedger() throws SQLException {
        send("POST", "/v1/chat/completions", KEY, chat("scripted", false));
        send("POST", "/v1/chat/completions", KEY, chat("scripted", true));

        Map<String, String> ledger = TestRows.one("""
                SELECT count(*) AS requests, sum(cache_hit_tokens) AS hit, sum(output_tokens) AS out, sum(amount) AS amount
                FROM usage_ledger WHERE tenant_id = ?""", TENANT);
        Map<String, String> daily = TestRows.one("""
                SELECT sum(requests) AS requests, sum(cache_hit_tokens) AS hit, sum(output_tokens) AS out, sum(amount) AS amount
                FROM usage_daily WHERE tenant_id = ?""", TENANT);
        assertThat(daily.get("requests")).isEqualTo(ledger.get("requests"));
        assertThat(daily.get("hit")).isEqualTo(ledger.get("hit"));
        assertThat(daily.get("out")).isEqualTo(ledger.get("out"));
        assertThat(new BigDecimal(daily.get("amount"))).isEqualByComparingTo(new BigDecimal(ledger.get("amount")));
    }

    @Test
    void settlingTheSameRequestTwicePricesItOnce() throws SQLException {
        var record = new UsageRecord("twice-" + UUID.randomUUID(), TENANT, KEY_ID, "scripted", URI.create("http://engine"), false,
                Usage.of(100, 900, 50, 0), Instant.now(), Instant.now(), Outcome.COMPLETED);

        assertThat(recorder.record(record)).isTrue();
        assertThat(recorder.record(record)).isFalse();
        assertThat(TestRows.one("SELECT count(*) AS n FROM usage_ledger WHERE request_id = ?", record.requestId())).containsEntry("n", "1");
    }

    @Test
    void aBatchRequestIsPricedInTheBatchClassAndRolledUpAsItsOwnTier() throws SQLException {
        Instant at = Instant.now();
        var record = new UsageRecord("batch-" + UUID.randomUUID(), TENANT, KEY_ID, "scripted", URI.create("http://engine"), false,
                Usage.of(10_000, 10_000, 10_000, 0), at, at, Outcome.COMPLETED, UsageRecord.Placement.STATIC, PriceClass.BATCH);

        recorder.record(record);

        Map<String, String> entry = TestRows.one("SELECT tier, amount, price_book_version FROM usage_ledger WHERE request_id = ?", record.requestId());
        BigDecimal factor = entry.get("price_book_version").equals("v2") ? BigDecimal.TWO : BigDecimal.ONE;
        assertThat(entry).containsEntry("tier", BatchClass.TIER);
        assertThat(new BigDecimal(entry.get("amount"))).isEqualByComparingTo(new BigDecimal("0.026").multiply(factor));
        assertThat(TestRows.one("SELECT sum(requests) AS n FROM usage_daily WHERE tenant_id = ? AND tier = 'batch'", TENANT))
                .containsEntry("n", "1");
    }

    @Test
    void aModelTheKeyMayNotUseIs404ModelNotFound() {
        var forbidden = send("POST", "/v1/chat/completions", FAILOVER_ONLY_KEY, chat("scripted", false));
        var allowed = send("POST", "/v1/chat/completions", FAILOVER_ONLY_KEY, chat("failover", false));
        var models = send("GET", "/v1/models", FAILOVER_ONLY_KEY, null);

        assertThat(forbidden.statusCode()).isEqualTo(404);
        assertThat(forbidden.body()).contains("\"code\":\"model_not_found\"");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("\"id\":\"failover\"").doesNotContain("\"id\":\"scripted\"");
    }

    @Test
    void theBalanceIsTheTopUpLessTheLedgerInDeepSeeksShape() throws SQLException {
        send("POST", "/v1/chat/completions", KEY, chat("scripted", false));

        var response = send("GET", "/user/balance", KEY, null);
        BigDecimal spent = new BigDecimal(TestRows.one("SELECT sum(amount) AS s FROM usage_ledger WHERE tenant_id = ?", TENANT).get("s"));

        assertThat(response.statusCode()).isEqualTo(200);
        String total = StatementRounding.round(BigDecimal.ONE.subtract(spent)).toPlainString();
        assertThat(response.body()).contains("\"is_available\":true", "\"currency\":\"CNY\"", "\"total_balance\":\"" + total + "\"",
                "\"granted_balance\":\"0.00\"", "\"topped_up_balance\":\"" + total + "\"");
    }

    private HttpResponse<String> send(String method, String path, String key, String body) {
        return calls.send(port, method, path, key, body);
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}],\"stream\":" + stream + "}";
    }


    private static Instant rowInstant(String sql, Object param) throws SQLException {
        try (Connection db = TestDatabase.get().connect(); PreparedStatement st = db.prepareStatement(sql)) {
            st.setObject(1, param);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }



}
