package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Limits through the REST API: who may read and set them, validation, audit, and a limit lowered here
 * binding a real gateway (started on the same database, default policy cache) within 5 seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsIT extends ServiceTest {

    static final Duration BINDS_WITHIN = Duration.ofSeconds(5);

    private RunningGateway gateway;
    private UUID tenant;
    private String tenantAdmin;

    @BeforeAll
    void startGateway() {
        gateway = new RunningGateway("limits-gateway");
        tenant = tenant("limits");
        tenantAdmin = user("TENANT_ADMIN", tenant);
    }

    @AfterAll
    void stopGateway() {
        gateway.close();
    }

    @Test
    void aTenantAdminSetsItsLimitsFinanceReadsThemAndEveryChangeIsAudited() {
        String body = "{\"requestsPerMinute\":60,\"tokensPerMinute\":100000,\"maxConcurrentRequests\":4,\"dailyTokens\":1000000,"
                + "\"monthlyTokens\":20000000,\"monthlySpendLimit\":{\"amount\":\"50.00\",\"currency\":\"CNY\"}}";

        var set = as(tenantAdmin).put("/api/v1/tenants/" + tenant + "/limits", body);
        var read = as(user("FINANCE", null)).get("/api/v1/tenants/" + tenant + "/limits");
        var byModel = as(tenantAdmin).get("/api/v1/tenants/" + tenant + "/limits?model=deepseek-flash");

        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(read.json().get("requestsPerMinute").asLong()).isEqualTo(60);
        assertThat(read.json().get("monthlySpendLimit").get("amount").asString()).isEqualTo("50.00");
        assertThat(read.json().get("monthlySpendLimit").get("currency").asString()).isEqualTo("CNY");
        assertThat(byModel.json().path("requestsPerMinute").isNumber()).as("model-specific limits are separate").isFalse();
        assertThat(admin().get("/api/v1/audit-events?tenantId=" + tenant).body()).contains("limits.set");
    }

    @Test
    void financeAndDevelopersMayNotSetLimitsAndBadValuesAre400() {
        String key = as(tenantAdmin).post("/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"k\"}").json().get("key").get("id").asString();

        assertThat(as(user("FINANCE", null)).put("/api/v1/tenants/" + tenant + "/limits", "{\"requestsPerMinute\":1}").status()).isEqualTo(403);
        assertThat(as(user("DEVELOPER", tenant)).put("/api/v1/keys/" + key + "/limits", "{\"requestsPerMinute\":1}").status()).isEqualTo(403);
        assertThat(as(tenantAdmin).put("/api/v1/keys/" + key + "/limits", "{\"requestsPerMinute\":-1}").status()).isEqualTo(400);
        assertThat(as(tenantAdmin).put("/api/v1/keys/" + key + "/limits", "{\"monthlySpendLimit\":{\"amount\":\"5\",\"currency\":\"EUR\"}}").status())
                .isEqualTo(400);
        assertThat(as(tenantAdmin).put("/api/v1/keys/" + UUID.randomUUID() + "/limits", "{}").status()).isEqualTo(404);
    }

    @Test
    void aLimitLoweredHereBindsTheGatewayWithinFiveSecondsAndRemovingItLiftsIt() throws InterruptedException {
        var created = as(tenantAdmin).post("/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"limited\"}").json();
        String secret = created.get("secret").asString();
        String keyId = created.get("key").get("id").asString();
        assertThat(gateway.chat(secret)).as("no limit: the request reaches for an engine (none here)").isEqualTo(503);

        Instant lowered = Instant.now();
        assertThat(as(tenantAdmin).put("/api/v1/keys/" + keyId + "/limits", "{\"requestsPerMinute\":0}").status()).isEqualTo(200);
        assertThat(statusWithin(secret, 429, lowered)).as("429 within %s of the change", BINDS_WITHIN).isTrue();

        Instant lifted = Instant.now();
        assertThat(as(tenantAdmin).put("/api/v1/keys/" + keyId + "/limits", "{}").status()).isEqualTo(200);
        assertThat(statusWithin(secret, 503, lifted)).as("admitted again within %s", BINDS_WITHIN).isTrue();
    }

    @Test
    void thePlatformsLimitsAreALayerATenantAdminCanTightenButNeitherLoosenNorRemove() throws InterruptedException {
        var created = as(tenantAdmin).post("/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"layered\"}").json();
        String secret = created.get("secret").asString();
        String limits = "/api/v1/keys/" + created.get("key").get("id").asString() + "/limits";

        assertThat(admin().put(limits, "{\"requestsPerMinute\":0,\"dailyTokens\":1000}").status()).isEqualTo(200);
        var removed = as(tenantAdmin).put(limits, "{}");
        var loosened = as(tenantAdmin).put(limits, "{\"requestsPerMinute\":100}");
        var tightened = as(tenantAdmin).put(limits, "{\"dailyTokens\":500,\"monthlyTokens\":9000}");

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("requestsPerMinute").asLong()).as("the platform's layer stays").isZero();
        assertThat(loosened.status()).isEqualTo(400);
        assertThat(loosened.body()).contains("requestsPerMinute", "only tighten");
        assertThat(tightened.status()).as(tightened.body()).isEqualTo(200);
        var read = admin().get(limits).json();
        assertThat(read.get("requestsPerMinute").asLong()).isZero();
        assertThat(read.get("dailyTokens").asLong()).isEqualTo(500);
        assertThat(read.get("monthlyTokens").asLong()).isEqualTo(9000);
        assertThat(read.get("layers").get("platform").get("dailyTokens").asLong()).isEqualTo(1000);
        assertThat(read.get("layers").get("tenant").get("dailyTokens").asLong()).isEqualTo(500);
        Thread.sleep(BINDS_WITHIN.toMillis());
        assertThat(gateway.chat(secret)).as("the platform's limit binds after the tenant's changes").isEqualTo(429);

        Instant lifted = Instant.now();
        assertThat(admin().put(limits, "{}").status()).isEqualTo(200);
        assertThat(admin().get(limits).json().get("dailyTokens").asLong()).as("the tenant's own layer stays").isEqualTo(500);
        assertThat(statusWithin(secret, 503, lifted)).as("admitted within %s", BINDS_WITHIN).isTrue();
    }

    @Test
    void aTenantsTighterLayerBindsTheGatewayWithinFiveSeconds() throws InterruptedException {
        var created = as(tenantAdmin).post("/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"both-layers\"}").json();
        String secret = created.get("secret").asString();
        String limits = "/api/v1/keys/" + created.get("key").get("id").asString() + "/limits";
        assertThat(admin().put(limits, "{\"requestsPerMinute\":1000}").status()).isEqualTo(200);

        Instant tightened = Instant.now();
        assertThat(as(tenantAdmin).put(limits, "{\"requestsPerMinute\":0}").status()).isEqualTo(200);

        assertThat(statusWithin(secret, 429, tightened)).as("429 within %s of the tenant's change", BINDS_WITHIN).isTrue();
    }

    private boolean statusWithin(String secret, int status, Instant since) throws InterruptedException {
        while (Instant.now().isBefore(since.plus(BINDS_WITHIN))) {
            if (gateway.chat(secret) == status) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

}
