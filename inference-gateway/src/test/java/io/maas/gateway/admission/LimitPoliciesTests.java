package io.maas.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maas.db.testing.TestDatabase;
import io.maas.gateway.TestClock;
import io.maas.gateway.GatewayProperties;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The platform's and the tenant's layer of a scope, as the gateway reads them: one policy, the tighter of each limit. */
class LimitPoliciesTests {

    private final JdbcClient jdbc;
    private final TestClock clock = new TestClock(Instant.now());
    private final LimitPolicies policies;

    LimitPoliciesTests() {
        TestDatabase db = TestDatabase.get();
        var dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        Binder defaults = new Binder(new MapConfigurationPropertySource(Map.of()));
        policies = new LimitPolicies(jdbc, clock, defaults.bindOrCreate("platform.gateway.admission", AdmissionProperties.class),
                defaults.bindOrCreate("platform.gateway", GatewayProperties.class));
    }

    @Test
    void bothLayersOfAScopeBindAsOnePolicyWithTheTighterOfEachLimit() {
        UUID tenant = UUID.randomUUID();
        jdbc.sql("INSERT INTO tenant (id, name) VALUES (?, ?)").params(tenant, "layers-" + tenant).update();
        jdbc.sql("""
                        INSERT INTO limit_policy (tenant_id, layer, requests_per_minute, tokens_per_minute, daily_tokens,
                                                  monthly_spend_limit, monthly_spend_currency)
                        VALUES (?, 'PLATFORM', 1000, NULL, 500, 50, 'CNY'), (?, 'TENANT', 3, 7000, 900, 20, 'CNY')""")
                .params(tenant, tenant).update();
        jdbc.sql("INSERT INTO limit_policy (tenant_id, model, layer, monthly_spend_limit, monthly_spend_currency) VALUES (?, 'm', 'PLATFORM', 10, 'CNY'), (?, 'm', 'TENANT', 5, 'USD')")
                .params(tenant, tenant).update();

        var bound = policies.of(tenant, UUID.randomUUID());

        assertThat(bound.forModel("other")).singleElement().satisfies(policy -> {
            assertThat(policy.requestsPerMinute()).isEqualTo(3);
            assertThat(policy.tokensPerMinute()).isEqualTo(7000);
            assertThat(policy.dailyTokens()).isEqualTo(500);
            assertThat(policy.monthlySpendLimit()).isEqualByComparingTo(new BigDecimal("20"));
        });
        assertThat(bound.forModel("m")).hasSize(2).anySatisfy(policy -> {
            assertThat(policy.model()).isEqualTo("m");
            assertThat(policy.monthlySpendLimit()).as("another currency than the platform's cannot loosen it").isEqualByComparingTo("10");
            assertThat(policy.monthlySpendCurrency()).isEqualTo("CNY");
        });
    }

    @Test
    void limitsInUseAreReadAgainInTheBackgroundBeforeTheyGoStale() {
        List<UUID> tenants = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID tenant = UUID.randomUUID();
            jdbc.sql("INSERT INTO tenant (id, name) VALUES (?, ?)").params(tenant, "refresh-" + tenant).update();
            jdbc.sql("INSERT INTO limit_policy (tenant_id, layer, requests_per_minute) VALUES (?, 'TENANT', 10)").param(tenant).update();
            tenants.add(tenant);
        }
        UUID key = UUID.randomUUID();
        tenants.forEach(tenant -> assertThat(rpm(tenant, key)).isEqualTo(10));
        jdbc.sql("UPDATE limit_policy SET requests_per_minute = 20 WHERE tenant_id = ANY (?::uuid[])")
                .param(tenants.stream().map(UUID::toString).toArray(String[]::new)).update();

        clock.advance(Duration.ofMillis(1_100)); // past half the 2 s they are trusted, and the clock stops there
        tenants.forEach(tenant -> assertThat(rpm(tenant, key)).as("still trusted: no request waits for the read").isEqualTo(10));
        policies.keepWarm(); // as scheduled every 250 ms

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                tenants.forEach(tenant -> assertThat(rpm(tenant, key)).as("read again in the background").isEqualTo(20)));
    }

    @Test
    void withoutAKeyOnlyTheTenantsOwnPoliciesBindAndAnotherKeysNever() {
        UUID tenant = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        jdbc.sql("INSERT INTO tenant (id, name) VALUES (?, ?)").params(tenant, "keys-" + tenant).update();
        for (UUID each : List.of(key, other)) {
            jdbc.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', 'sk-test', ?)")
                    .params(each, tenant, each.toString().substring(0, 32).getBytes(StandardCharsets.US_ASCII)).update();
        }
        jdbc.sql("INSERT INTO limit_policy (tenant_id, layer, requests_per_minute) VALUES (?, 'TENANT', 10)").param(tenant).update();
        jdbc.sql("INSERT INTO limit_policy (tenant_id, api_key_id, layer, requests_per_minute) VALUES (?, ?, 'TENANT', 5), (?, ?, 'TENANT', 3)")
                .params(tenant, key, tenant, other).update();

        assertThat(policies.of(tenant, null).forModel("m")).extracting(LimitPolicy::requestsPerMinute).containsExactly(10L);
        assertThat(policies.of(tenant, key).forModel("m")).extracting(LimitPolicy::requestsPerMinute).containsExactlyInAnyOrder(10L, 5L);
    }

    private long rpm(UUID tenant, UUID key) {
        return policies.of(tenant, key).forModel("any").getFirst().requestsPerMinute();
    }
}
