package io.maas.tenant;

import io.maas.db.testing.TestDatabase;
import io.maas.pricing.Currency;
import io.maas.pricing.DecidingInstant;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.pricing.Tier;
import io.maas.pricing.TierPricing;
import io.maas.pricing.TierSchedule;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** tenant-service on a random port over this JVM's test database, with helpers to set up tenants and people. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceTest {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String PASSWORD = "a-long-test-password";

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase db = TestDatabase.get();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("platform.tenant.admin-password", () -> ADMIN_PASSWORD);
        registry.add("platform.deployments.local.engine-jar", () -> System.getProperty("maas.engine.jar", "engine-adapter.jar"));
        registry.add("platform.deployments.local.state-dir", () -> "target/deployments");
        registry.add("platform.deployments.local.cache-dir", () -> "target/engine-models");
    }

    /** A new book named after {@code prefix}, one version since 2020 pricing each model at its price per million tokens (every class, CNY); its name. */
    protected String createBook(String prefix, Map<String, String> prices) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var models = new TreeMap<String, ModelPrices>();
        prices.forEach((model, price) -> models.put(model, new ModelPrices(new BigDecimal(price), new BigDecimal(price),
                new BigDecimal(price), Currency.CNY)));
        var schedule = new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(new Tier("standard", List.of(), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null);
        var book = PriceBook.of(name, DecidingInstant.COMPLETION,
                new PriceBookVersion("v1", Instant.parse("2020-01-01T00:00:00Z"), models, schedule));
        var created = admin().post("/api/v1/price-books", "{\"book\":" + PricingJson.write(book) + "}");
        if (created.status() != 201) {
            throw new IllegalStateException(created.body());
        }
        return name;
    }

    /**
     * Lets a test create deployments of {@code models} for every tenant: nothing is served unpriced, so
     * the platform default book must price them (here at an explicit zero), and tenants of earlier test
     * classes whose own books do not are left without live keys (those classes are done; classes run
     * one after another on the shared database).
     */
    protected void everyCallerPays(String... models) {
        String prices = String.join(",", java.util.Arrays.stream(models).map(m -> "'" + m + "'").toList());
        try (var db = TestDatabase.get().connect(); var st = db.createStatement()) {
            st.executeUpdate("UPDATE api_key SET revoked_at = now() WHERE revoked_at IS NULL AND tenant_id IN"
                    + " (SELECT id FROM tenant WHERE price_book_id IS NOT NULL)");
            var current = st.executeQuery("SELECT count(*) = " + models.length + " FROM price_book b"
                    + " JOIN price_book_version v ON v.book_id = b.id AND v.seq = (SELECT max(seq) FROM price_book_version WHERE book_id = b.id)"
                    + " CROSS JOIN unnest(ARRAY[" + prices + "]) AS m(model) WHERE b.platform_default AND v.document -> 'models' -> m.model IS NOT NULL");
            current.next();
            if (current.getBoolean(1)) {
                return;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> free = new TreeMap<>();
        for (String model : models) {
            free.put(model, "0");
        }
        String book = createBook("catalog-free", free);
        var made = admin().put("/api/v1/price-books/" + book + "/platform-default", "");
        if (made.status() >= 300) {
            throw new IllegalStateException(made.body());
        }
    }

    protected Api admin() {
        return new Api("http://127.0.0.1:" + port, "admin", ADMIN_PASSWORD);
    }

    protected Api as(String username) {
        return admin().as(username, PASSWORD);
    }

    /** A new tenant's id. */
    protected UUID tenant(String prefix) {
        var response = admin().post("/api/v1/tenants", "{\"name\":\"" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        if (response.status() != 201) {
            throw new IllegalStateException(response.body());
        }
        return UUID.fromString(response.json().get("id").asString());
    }

    /** A new user's name; {@code tenant} null for platform roles. */
    protected String user(String role, UUID tenant) {
        String name = role.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        var response = admin().post("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\""
                + (tenant == null ? "" : ",\"tenantId\":\"" + tenant + "\"") + "}");
        if (response.status() != 201) {
            throw new IllegalStateException(response.body());
        }
        return name;
    }
}
