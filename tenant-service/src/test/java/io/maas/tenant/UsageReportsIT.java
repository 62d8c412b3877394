package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Daily usage of a tenant and the platform's day, read from the roll-up, with the tenant boundary holding. */
class UsageReportsIT extends ServiceTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void tenantDaysAndPlatformSummary() {
        UUID tenant = tenant("usage");
        UUID other = tenant("usage-other");
        LocalDate day = LocalDate.of(2031, 3, 4);
        rollUp(tenant, day, "deepseek-flash", "peak", 3, 1000, 2000, 500, "8.04");
        rollUp(tenant, day, "deepseek-flash", "off-peak", 1, 0, 100, 10, "0.14");
        rollUp(other, day, "deepseek-flash", "peak", 1, 0, 10, 10, "0.1");

        String developer = user("DEVELOPER", tenant);
        JsonNode days = as(developer).get("/api/v1/tenants/" + tenant + "/usage/daily?from=2031-03-01&to=2031-03-31").json();
        assertThat(days).hasSize(2);
        assertThat(days.get(1).get("tier").asString()).isEqualTo("peak");
        assertThat(days.get(1).get("cacheHitTokens").asLong()).isEqualTo(1000);
        assertThat(days.get(1).get("amount").asString()).isEqualTo("8.04");
        assertThat(as(developer).get("/api/v1/tenants/" + other + "/usage/daily?from=2031-03-01&to=2031-03-31").status())
                .as("another tenant's usage").isEqualTo(404);
        assertThat(as(developer).get("/api/v1/tenants/" + tenant + "/usage/daily?from=2031-03-31&to=2031-03-01").status()).isEqualTo(400);
        assertThat(as(developer).get("/api/v1/usage/summary?day=2031-03-04").status()).isEqualTo(403);

        JsonNode summary = as(user("FINANCE", null)).get("/api/v1/usage/summary?day=2031-03-04").json();
        assertThat(summary.get("tiers")).hasSize(2);
        JsonNode peak = summary.get("tiers").get(1);
        assertThat(peak.get("tier").asString()).isEqualTo("peak");
        assertThat(peak.get("requests").asLong()).isEqualTo(4);
        assertThat(peak.get("tokens").asLong()).isEqualTo(3520);
        assertThat(peak.get("amount").asString()).isEqualTo("8.14");
        assertThat(summary.get("topTenants").get(0).get("tenantId").asString()).isEqualTo(tenant.toString());
        assertThat(summary.get("topTenants").get(0).get("amountRounded").asString()).isEqualTo("8.18");
    }

    private void rollUp(UUID tenant, LocalDate day, String model, String tier, long requests, long hit, long miss, long out, String amount) {
        jdbc.sql("""
                        INSERT INTO usage_daily (tenant_id, day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens,
                            output_tokens, cache_hit_amount, cache_miss_amount, output_amount, amount)
                        VALUES (?, ?, ?, ?, 'CNY', ?, ?, ?, ?, 0, 0, ?, ?)""")
                .params(tenant, Date.valueOf(day), model, tier, requests, hit, miss, out, new BigDecimal(amount), new BigDecimal(amount))
                .update();
    }
}
