package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.pricing.Currency;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.pricing.Tier;
import io.maas.pricing.TierPricing;
import io.maas.pricing.TierSchedule;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Settlement of names the book does not list: a private deployment's served name is priced as its
 * catalog model; a name nobody prices is served, recorded unpriced with its tokens, and counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnpricedUsageIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID BOOK = UUID.randomUUID();
    private static final UUID DEPLOYMENT = UUID.randomUUID();
    private static final String KEY = ApiKeySecret.generate();

    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "mystery");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
    }

    @BeforeAll
    static void bookTenantAndDeployment() throws SQLException {
        var schedule = new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(new Tier("standard", List.of(), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null);
        var prices = new ModelPrices(new BigDecimal("1"), new BigDecimal("2"), new BigDecimal("3"), Currency.CNY);
        TestRows.execute("INSERT INTO price_book (id, name) VALUES (?, ?)", BOOK, "unpriced-" + BOOK);
        TestRows.execute("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', ?, ?::jsonb)",
                BOOK, Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")),
                PricingJson.write(new PriceBookVersion("v1", Instant.parse("2020-01-01T00:00:00Z"), Map.of("deepseek-r1", prices), schedule)));
        TestRows.execute("INSERT INTO tenant (id, name, price_book_id) VALUES (?, ?, ?)", TENANT, "unpriced-" + TENANT, BOOK);
        TestRows.key(UUID.randomUUID(), TENANT, KEY);
        TestRows.execute("""
                INSERT INTO deployment (id, name, tenant_id, model, served_model_name, target, runtime, accelerator_vendor,
                    accelerators_per_replica, precision, context_length, replicas, state, created_by)
                VALUES (?, ?, ?, 'deepseek-r1', 'acme-r1', 'local', 'simulated', 'cpu', 0, 'F32', 4096, 1, 'READY', 'test')""",
                DEPLOYMENT, "acme-" + TENANT.toString().substring(0, 8), TENANT);
        // its replica: the gateway routes the tenant's acme-r1 here once it has read the deployments (every second)
        TestRows.execute("""
                INSERT INTO deployment_replica (id, deployment_id, ordinal, state, endpoint, accelerators, started_at, ready_at)
                VALUES (?, ?, 0, 'READY', ?, 0, now(), now())""", UUID.randomUUID(), DEPLOYMENT, engine.uri().toString());
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void aServedNameIsPricedAsItsCatalogModel() throws Exception {
        var response = calls.send(port, "POST", "/v1/chat/completions", KEY, body("acme-r1"));
        for (int waited = 0; response.statusCode() == 404 && waited < 50; waited++) { // until the registry has it
            Thread.sleep(100);
            response = calls.send(port, "POST", "/v1/chat/completions", KEY, body("acme-r1"));
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        Map<String, String> entry = TestRows.one("SELECT model, tier, amount FROM usage_ledger WHERE request_id = ?", requestId(response));
        // 4 cache hits at ¥1, 3 misses at ¥2, 2 outputs at ¥3 per million tokens: the catalog model's prices.
        assertThat(entry).containsEntry("model", "acme-r1").containsEntry("tier", "standard");
        assertThat(new BigDecimal(entry.get("amount"))).isEqualByComparingTo("0.000016");
    }

    @Test
    void aNameNobodyPricesIsServedRecordedUnpricedWithItsTokensAndCounted() throws SQLException {
        double before = unpricedCount();

        var response = chat("mystery");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> entry = TestRows.one("SELECT tier, amount, output_tokens FROM usage_ledger WHERE request_id = ?", requestId(response));
        assertThat(entry).containsEntry("tier", "unpriced").containsEntry("output_tokens", "2");
        assertThat(new BigDecimal(entry.get("amount"))).isZero();
        assertThat(unpricedCount()).isEqualTo(before + 1);
    }

    /** The counter as Prometheus scrapes it from {@code /metrics}; 0 before the first unpriced request. */
    private double unpricedCount() {
        var metrics = calls.send(port, "GET", "/metrics", null, null);
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        return metrics.body().lines().filter(line -> line.startsWith("maas_usage_unpriced_total{") && line.contains("model=\"mystery\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}]}";
    }

    private HttpResponse<String> chat(String model) {
        var response = calls.send(port, "POST", "/v1/chat/completions", KEY, body(model));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("x-request-id").orElseThrow();
    }
}
