package io.maas.tenant.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
import io.maas.tenant.Api;
import io.maas.tenant.TenantServiceApplication;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo {@code ./platform up} announces is seeded by tenant-service, on a fresh database of this
 * test's own (tenant-service migrates it): the demo tenant, its key, the platform-default price book
 * {@code demo} pricing the configured model, and a prepaid grant. Seeding again, as every later
 * {@code ./platform up} does at start-up, finds them and changes nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoTenantIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-demo-tests";
    private static final Pattern DEMO = Pattern.compile("DEMO tenant=(\\S+) key_id=(\\S+)");

    private final TestDatabase db = TestDatabase.empty();
    private final String key = ApiKeySecret.generate();

    @Test
    void aFreshPlatformGetsAPricedPrepaidDemoAndASecondSeedingChangesNothing(CapturedOutput output) throws Exception {
        try (var service = start()) {
            MatchResult first = lastDemoLine(output.getOut());
            String tenant = first.group(1);
            var admin = new Api("http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort(), "admin",
                    ADMIN_PASSWORD);

            var demo = admin.get("/api/v1/tenants/" + tenant);
            assertThat(demo.status()).as(demo.body()).isEqualTo(200);
            assertThat(demo.json().get("name").asString()).isEqualTo("demo-it");
            assertThat(demo.json().get("billingMode").asString()).isEqualTo("PREPAID");
            var balance = admin.get("/api/v1/tenants/" + tenant + "/balance");
            assertThat(balance.json().get(0).get("currency").asString()).isEqualTo("CNY");
            assertThat(balance.json().get(0).get("grantedBalance").asString()).isEqualTo("10");
            var keys = admin.get("/api/v1/tenants/" + tenant + "/api-keys");
            assertThat(keys.json()).hasSize(1);
            assertThat(keys.json().get(0).get("id").asString()).isEqualTo(first.group(2));
            assertThat(keys.json().get(0).get("prefix").asString()).isEqualTo(ApiKeySecret.prefix(key));
            var book = admin.get("/api/v1/price-books/demo");
            assertThat(book.status()).as(book.body()).isEqualTo(200);
            assertThat(book.body()).contains("\"demo-it-model\"");
            Map<String, String> seeded = rows();
            assertThat(seeded).containsEntry("tenants", "1").containsEntry("keys", "1").containsEntry("books", "1")
                    .containsEntry("defaults", "1").containsEntry("credits", "1").containsEntry("audited", "4");

            service.getBean(DemoTenant.class).run(new DefaultApplicationArguments()); // what every later start does

            MatchResult second = lastDemoLine(output.getOut().substring(first.end()));
            assertThat(second.group()).as("the same demo announced").isEqualTo(first.group());
            assertThat(rows()).as("nothing seeded twice").isEqualTo(seeded);
        }
    }

    /** tenant-service as a command line starts it (arguments outrank its application.yml). */
    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(TenantServiceApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--platform.tenant.admin-password=" + ADMIN_PASSWORD,
                "--platform.deployments.local.engine-jar=engine-adapter.jar", "--platform.deployments.local.state-dir=target/deployments",
                "--platform.deployments.local.cache-dir=target/engine-models",
                "--platform.tenant.demo.api-key=" + key, "--platform.tenant.demo.tenant=demo-it", "--platform.tenant.demo.models=demo-it-model");
    }

    private static MatchResult lastDemoLine(String log) {
        MatchResult last = DEMO.matcher(log).results().reduce((earlier, later) -> later).orElse(null);
        assertThat(last).as("tenant-service logged its DEMO line").isNotNull();
        return last;
    }

    /** What the demo consists of, counted. */
    private Map<String, String> rows() throws SQLException {
        Map<String, String> counts = new LinkedHashMap<>();
        try (Connection c = db.connect()) {
            counts.put("tenants", one(c, "SELECT count(*) FROM tenant"));
            counts.put("keys", one(c, "SELECT count(*) FROM api_key"));
            counts.put("books", one(c, "SELECT count(*) FROM price_book"));
            counts.put("defaults", one(c, "SELECT count(*) FROM price_book WHERE platform_default AND name = 'demo'"));
            counts.put("credits", one(c, "SELECT count(*) FROM balance_credit"));
            counts.put("audited", one(c, "SELECT count(*) FROM audit_event WHERE actor = 'system' AND action <> 'user.create'"));
        }
        return counts;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
