package io.maas.tenant.economics;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import io.maas.tenant.ServiceTest;
import java.sql.Connection;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The economics report over the real tables: replica rows as the reconciler writes them, revenue as the gateway keeps it. */
class EconomicsIT extends ServiceTest {

    @Test
    void aDeploymentsDayCostBesideItsRevenue() throws Exception {
        UUID tenant = tenant("econ");
        String name = "econ-" + UUID.randomUUID().toString().substring(0, 8);
        String id = admin().post("/api/v1/deployments", """
                {"name":"%s","tenantId":"%s","model":"demo-moe","runtime":"simulated","replicas":0,
                 "costPerAcceleratorHour":{"amount":"2","currency":"USD"}}""".formatted(name, tenant)).json().get("id").asString();
        try (Connection db = TestDatabase.get().connect(); var statement = db.createStatement()) {
            statement.execute("""
                    INSERT INTO deployment_replica (id, deployment_id, ordinal, state, accelerators, started_at, ready_at, stopped_at)
                    VALUES ('%s', '%s', 0, 'STOPPED', 1, '2026-10-04T23:00:00Z', '2026-10-05T00:00:00Z', '2026-10-05T12:00:00Z')"""
                    .formatted(UUID.randomUUID(), id));
            statement.execute("""
                    INSERT INTO deployment_daily (deployment_id, day, tier, currency, requests, cache_hit_tokens, cache_miss_tokens, output_tokens, amount)
                    VALUES ('%1$s', '2026-10-05', 'off-peak', 'USD', 10, 300, 100, 50, 30), ('%1$s', '2026-10-06', 'peak', 'USD', 1, 0, 10, 5, 1)"""
                    .formatted(id));
        }

        var report = as(user("FINANCE", null)).get("/api/v1/economics?month=2026-10");

        assertThat(report.status()).as(report.body()).isEqualTo(200);
        JsonNode days = report.json().get("days");
        JsonNode fifth = StreamSupport.stream(days.spliterator(), false)
                .filter(d -> d.get("deployment").asString().equals(name) && d.get("day").asString().equals("2026-10-05")).findFirst().orElseThrow();
        assertThat(fifth.get("acceleratorHours").asDouble()).isEqualTo(12.0);
        assertThat(fifth.get("cost").asDouble()).isEqualTo(24.0);
        assertThat(fifth.get("revenue").asDouble()).isEqualTo(30.0);
        assertThat(fifth.get("marginPercent").asDouble()).isEqualTo(25.0);
        assertThat(fifth.get("tokens").asLong()).isEqualTo(450);
        assertThat(fifth.get("cacheHitShare").asDouble()).isEqualTo(0.75);
        assertThat(fifth.get("offPeakRevenueShare").asDouble()).isEqualTo(1.0);
        assertThat(days.toString()).contains("\"day\":\"2026-10-06\"");
        assertThat(as(user("TENANT_ADMIN", tenant)).get("/api/v1/economics?month=2026-10").status()).isEqualTo(403);
        assertThat(admin().get("/api/v1/economics?month=October").status()).isEqualTo(400);
    }
}
