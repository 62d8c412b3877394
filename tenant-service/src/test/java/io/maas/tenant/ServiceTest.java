package io.maas.tenant;

import io.maas.db.testing.TestDatabase;
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
