package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.Usage;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.metering.UsageSpool;
import io.maas.gateway.pricebook.TenantPriceBooks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Nothing served unpriced: a deployment whose served name a tenant's book would not price is refused,
 * and so is a book change that would leave a live deployment unpriced; usage recorded unpriced anyway
 * shows in finance's report with its tokens.
 */
class UnpricedServingIT extends ServiceTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private final List<UUID> tenants = new java.util.ArrayList<>();

    /** Other tests share the database: a tenant left callable here would make their shared deployments unpriced for it. */
    @AfterEach
    void deactivateTenants() {
        tenants.forEach(t -> admin().post("/api/v1/tenants/" + t + "/deactivate", ""));
    }

    @Test
    void aDeploymentWhoseServedNameItsTenantCannotBePricedForIsRefusedUntilABookPricesIt() {
        UUID tenant = tenant("acme");
        String deepseekOnly = createBook("deepseek-only", Map.of("deepseek-flash", "1"));
        admin().put("/api/v1/tenants/" + tenant + "/price-book", "{\"priceBook\":\"" + deepseekOnly + "\"}");
        liveKey(tenant);
        String tenantName = admin().get("/api/v1/tenants/" + tenant).json().get("name").asString();
        String deployment = """
                {"name":"acme-%s","tenantId":"%s","model":"demo-moe","servedModelName":"acme-demo","runtime":"simulated","replicas":0}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8), tenant);

        var refused = admin().post("/api/v1/deployments", deployment);
        // An explicit zero price for the catalog model: free on purpose, in an audited book.
        String demoFree = createBook("demo-free", Map.of("deepseek-flash", "1", "demo-moe", "0"));
        admin().put("/api/v1/tenants/" + tenant + "/price-book", "{\"priceBook\":\"" + demoFree + "\"}");
        var accepted = admin().post("/api/v1/deployments", deployment);
        var backToUnpriced = admin().put("/api/v1/tenants/" + tenant + "/price-book", "{\"priceBook\":\"" + deepseekOnly + "\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("model").asString()).isEqualTo("acme-demo");
        assertThat(refused.json().get("catalogModel").asString()).isEqualTo("demo-moe");
        assertThat(refused.json().get("tenants").get(0).asString()).isEqualTo(tenantName);
        assertThat(refused.body()).contains("explicit zero price");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(backToUnpriced.status()).isEqualTo(422);
        assertThat(backToUnpriced.body()).contains("acme-demo", tenantName);
        assertThat(admin().get("/api/v1/tenants/" + tenant).json().get("priceBookId").asString()).isNotNull();
    }

    @Test
    void aServedNameIsQuotedAsItsCatalogModelUnlessTheBookNamesIt() {
        UUID tenant = tenant("quote");
        admin().put("/api/v1/tenants/" + tenant + "/price-book",
                "{\"priceBook\":\"" + createBook("quote", Map.of("demo-moe", "2", "quote-special", "5")) + "\"}");
        liveKey(tenant);
        for (String served : List.of("quote-demo", "quote-special")) {
            assertThat(admin().post("/api/v1/deployments", """
                    {"name":"%s-%s","tenantId":"%s","model":"demo-moe","servedModelName":"%s","runtime":"simulated","replicas":0}"""
                    .formatted(served, UUID.randomUUID().toString().substring(0, 8), tenant, served)).status()).isEqualTo(201);
        }
        String developer = user("DEVELOPER", tenant);

        JsonNode asCatalog = as(developer).post("/api/v1/pricing/quote", quote("quote-demo")).json();
        JsonNode own = as(developer).post("/api/v1/pricing/quote", quote("quote-special")).json();

        assertThat(asCatalog.get("model").asString()).isEqualTo("demo-moe");
        assertThat(asCatalog.get("amount").asString()).isEqualTo("2");
        assertThat(own.get("model").asString()).isEqualTo("quote-special");
        assertThat(own.get("amount").asString()).isEqualTo("5");
    }

    @Test
    void unpricedUsageIsReportedToFinanceWithItsTokens() {
        UUID tenant = tenant("unpriced");
        UUID key = liveKey(tenant);
        var recorder = new UsageRecorder(jdbc, transactions, new TenantPriceBooks(jdbc), new UsageSpool(Path.of("target", "usage-spool")),
                new DurableReservations(jdbc, transactions));
        for (String at : List.of("2026-11-03T02:00:00Z", "2026-11-30T17:00:00Z")) {  // the second is December in Beijing
            recorder.record(new UsageRecord(UUID.randomUUID().toString(), tenant, key, "nobody-prices-this", URI.create("http://engine"),
                    false, Usage.of(10, 20, 30, 0), Instant.parse(at), Instant.parse(at), Outcome.COMPLETED));
        }

        JsonNode report = as(user("FINANCE", null)).get("/api/v1/finance/unpriced?month=2026-11").json();
        var tenantAdmin = as(user("TENANT_ADMIN", tenant)).get("/api/v1/finance/unpriced?month=2026-11");
        var malformed = admin().get("/api/v1/finance/unpriced?month=November");

        JsonNode entry = null;
        for (JsonNode e : report.get("entries")) {
            if (e.get("tenantId").asString().equals(tenant.toString())) {
                entry = e;
            }
        }
        assertThat(entry).as(report.toString()).isNotNull();
        assertThat(entry.get("model").asString()).isEqualTo("nobody-prices-this");
        assertThat(entry.get("requests").asLong()).isEqualTo(1);
        assertThat(entry.get("cacheHitTokens").asLong()).isEqualTo(10);
        assertThat(entry.get("cacheMissTokens").asLong()).isEqualTo(20);
        assertThat(entry.get("outputTokens").asLong()).isEqualTo(30);
        assertThat(tenantAdmin.status()).isEqualTo(403);
        assertThat(malformed.status()).isEqualTo(400);
    }

    private static String quote(String model) {
        return "{\"model\":\"" + model + "\",\"at\":\"2026-11-30T02:00:00Z\",\"promptCacheHitTokens\":0,"
                + "\"promptCacheMissTokens\":1000000,\"completionTokens\":0}";
    }

    private UUID liveKey(UUID tenant) {
        tenants.add(tenant);
        UUID key = UUID.randomUUID();
        jdbc.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', 'sk-live', ?)")
                .params(key, tenant, ApiKeySecret.hash(ApiKeySecret.generate())).update();
        return key;
    }
}
