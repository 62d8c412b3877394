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
import io.maas.pricing.PriceClass;
import io.maas.pricing.StatementRounding;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Usage written by the gateway's own settlement code ({@link UsageRecorder}), then read back as
 * statements, CSV, balances and audit events through the REST API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingIT extends ServiceTest {

    static final String MONTH = "2026-10";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    UsageRecorder recorder;
    UUID tenant;
    UUID key;
    String finance;

    @BeforeAll
    void tenantWithUsage() {
        recorder = new UsageRecorder(jdbc, transactions, new TenantPriceBooks(jdbc), new UsageSpool(Path.of("target", "usage-spool")),
                new DurableReservations(jdbc, transactions));
        tenant = tenant("billing");
        finance = user("FINANCE", null);
        String book = "billing-" + UUID.randomUUID().toString().substring(0, 8);
        admin().post("/api/v1/price-books", "{\"template\":\"deepseek-2026\",\"name\":\"" + book + "\"}");
        admin().put("/api/v1/tenants/" + tenant + "/price-book", "{\"priceBook\":\"" + book + "\"}");
        admin().put("/api/v1/tenants/" + tenant + "/billing", "{\"billingMode\":\"PREPAID\"}");
        key = UUID.randomUUID();
        // Revoked: the ledger does not need a live key, and a live one would make other tests' shared deployments unpriced for it.
        jdbc.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash, revoked_at) VALUES (?, ?, 'k', 'sk-billing', ?, now())")
                .params(key, tenant, ApiKeySecret.hash(ApiKeySecret.generate())).update();
        Random random = new Random(7);
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            Instant completed = start.plusSeconds(random.nextLong(31L * 24 * 3600));
            record(completed, random.nextInt(5000), random.nextInt(5000), random.nextInt(3000), i % 10 == 0 ? PriceClass.BATCH : PriceClass.ONLINE);
        }
    }

    private void record(Instant completed, long hit, long miss, long out, PriceClass priceClass) {
        recorder.record(new UsageRecord(UUID.randomUUID().toString(), tenant, key, "deepseek-flash", URI.create("http://engine"), false,
                Usage.of(hit, miss, out, 0), completed.minusSeconds(3), completed, Outcome.COMPLETED, UsageRecord.Placement.STATIC, priceClass));
    }

    private BigDecimal ledgerSum(String from, String to) {
        return jdbc.sql("SELECT coalesce(sum(amount), 0) FROM usage_ledger WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?")
                .params(tenant, Timestamp.from(Instant.parse(from)), Timestamp.from(Instant.parse(to))).query(BigDecimal.class).single();
    }

    @Test
    void theStatementTotalIsTheExactSumOfTheLedgerRoundedOnlyAtTheEnd() {
        JsonNode statement = as(finance).get("/api/v1/tenants/" + tenant + "/statements/" + MONTH).json();
        // The tenant bills in the platform's zone, Asia/Shanghai: October is Beijing's October.
        BigDecimal ledger = ledgerSum("2026-09-30T16:00:00Z", "2026-10-31T16:00:00Z");

        assertThat(statement.get("zone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(statement.get("from").asString()).isEqualTo("2026-09-30T16:00:00Z");
        assertThat(statement.get("to").asString()).isEqualTo("2026-10-31T16:00:00Z");

        JsonNode total = statement.get("totals").get(0);
        assertThat(total.get("currency").asString()).isEqualTo("CNY");
        assertThat(new BigDecimal(total.get("usageExact").asString())).isEqualByComparingTo(ledger);
        assertThat(total.get("usage").asString()).isEqualTo(StatementRounding.round(ledger).toPlainString());
        BigDecimal lines = BigDecimal.ZERO;
        for (JsonNode line : statement.get("lines")) {
            lines = lines.add(new BigDecimal(line.get("amount").asString()));
        }
        assertThat(lines).isEqualByComparingTo(ledger);
        assertThat(statement.get("lines").findValuesAsString("tier")).contains("peak", "off-peak", "batch");
    }

    @Test
    void theCsvParsesBackToTheSameNumbers() {
        var json = as(finance).get("/api/v1/tenants/" + tenant + "/statements/" + MONTH).json();
        var csv = as(finance).get("/api/v1/tenants/" + tenant + "/statements/" + MONTH + ".csv");

        assertThat(csv.contentType()).startsWith("text/csv");
        List<String[]> rows = Arrays.stream(csv.body().split("\r\n")).skip(1).map(r -> r.split(",", -1)).toList();
        BigDecimal usage = rows.stream().filter(r -> r[0].equals("usage")).map(r -> new BigDecimal(r[7])).reduce(BigDecimal.ZERO, BigDecimal::add);
        long tokens = rows.stream().filter(r -> r[0].equals("usage")).mapToLong(r -> Long.parseLong(r[6])).sum();
        long jsonTokens = 0;
        for (JsonNode line : json.get("lines")) {
            jsonTokens += line.get("tokens").asLong();
        }
        String exact = rows.stream().filter(r -> r[0].equals("total-usage-exact")).findFirst().orElseThrow()[7];
        String rounded = rows.stream().filter(r -> r[0].equals("total-usage")).findFirst().orElseThrow()[7];

        assertThat(usage).isEqualByComparingTo(new BigDecimal(json.get("totals").get(0).get("usageExact").asString()));
        assertThat(new BigDecimal(exact)).isEqualByComparingTo(usage);
        assertThat(rounded).isEqualTo(json.get("totals").get(0).get("usage").asString());
        assertThat(tokens).isEqualTo(jsonTokens);
        assertThat(csv.body()).startsWith("record,model,tier,token_class,currency,requests,tokens,amount,date,expires_on,zone\r\n");
        assertThat(rows).allSatisfy(r -> assertThat(r[10]).isEqualTo("Asia/Shanghai"));
        assertThat(rows).filteredOn(r -> r[0].equals("usage") && r[2].equals("batch")).extracting(r -> r[3])
                .containsExactlyInAnyOrder("input-cache-hit", "input-cache-miss", "output");
    }

    @Test
    void grantsAreSpentBeforeTopUpsAndEveryCreditIsAudited() {
        UUID other = tenant("balance");
        jdbc.sql("UPDATE tenant SET price_book_id = (SELECT price_book_id FROM tenant WHERE id = ?) WHERE id = ?").params(tenant, other).update();
        assertThat(as(finance).post("/api/v1/tenants/" + other + "/grants", "{\"amount\":\"10\",\"expiresOn\":\"2099-12-31\",\"note\":\"welcome\"}").status())
                .isEqualTo(201);
        assertThat(as(finance).post("/api/v1/tenants/" + other + "/top-ups", "{\"amount\":\"100\"}").status()).isEqualTo(201);
        UUID otherKey = UUID.randomUUID();
        jdbc.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', 'sk-balance', ?)")
                .params(otherKey, other, ApiKeySecret.hash(ApiKeySecret.generate())).update();
        recorder.record(new UsageRecord(UUID.randomUUID().toString(), other, otherKey, "deepseek-flash", URI.create("http://engine"), false,
                Usage.of(0, 1_000_000, 500_000, 0), Instant.now().minusSeconds(1), Instant.now(), Outcome.COMPLETED));
        BigDecimal spent = jdbc.sql("SELECT sum(amount) FROM usage_ledger WHERE tenant_id = ?").param(other).query(BigDecimal.class).single();

        JsonNode balance = as(finance).get("/api/v1/tenants/" + other + "/balance").json().get(0);
        JsonNode audit = admin().get("/api/v1/audit-events?tenantId=" + other).json();

        assertThat(spent).isPositive();
        BigDecimal fromGrant = spent.min(BigDecimal.TEN);
        assertThat(new BigDecimal(balance.get("grantedBalance").asString())).isEqualByComparingTo(BigDecimal.TEN.subtract(fromGrant));
        assertThat(new BigDecimal(balance.get("toppedUpBalance").asString()))
                .isEqualByComparingTo(new BigDecimal("100").subtract(spent.subtract(fromGrant)));
        assertThat(audit.findValuesAsString("action")).contains("balance.grant", "balance.top-up");
        assertThat(audit.findValuesAsString("actor")).contains(finance);
        assertThat(as(finance).get("/api/v1/audit-events").status()).as("the audit log is for platform admins").isEqualTo(403);
    }

    @Test
    void financeSeesEveryTenantsTotalsAndTenantFinanceOnlyItsOwnStatement() {
        String tenantFinance = user("TENANT_FINANCE", tenant);

        var platform = as(finance).get("/api/v1/statements/" + MONTH);
        var own = as(tenantFinance).get("/api/v1/tenants/" + tenant + "/statements/" + MONTH);
        var platformAsTenant = as(tenantFinance).get("/api/v1/statements/" + MONTH);

        assertThat(platform.status()).isEqualTo(200);
        assertThat(platform.body()).contains(tenant.toString());
        assertThat(own.status()).isEqualTo(200);
        assertThat(platformAsTenant.status()).isEqualTo(403);
    }
}
