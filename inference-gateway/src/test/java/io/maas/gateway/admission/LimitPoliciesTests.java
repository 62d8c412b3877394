package io.maas.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import io.maas.gateway.GatewayProperties;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The platform's and the tenant's layer of a scope, as the gateway reads them: one policy, the tighter of each limit. */
class LimitPoliciesTests {

    private final JdbcClient jdbc;
    private final LimitPolicies policies;

    LimitPoliciesTests() {
        TestDatabase db = TestDatabase.get();
        var dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        Binder defaults = new Binder(new MapConfigurationPropertySource(Map.of()));
        policies = new LimitPolicies(jdbc, Clock.systemUTC(), defaults.bindOrCreate("platform.gateway.admission", AdmissionProperties.class),
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
}
