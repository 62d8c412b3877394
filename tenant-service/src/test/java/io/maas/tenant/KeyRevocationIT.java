package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import io.maas.gateway.GatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * End to end: a key issued and revoked through tenant-service's REST API stops working at a real
 * gateway (started here on the same database, with its default 3 s key cache) within 5 seconds;
 * so does a key at its expiry instant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRevocationIT extends ServiceTest {

    static final Duration LIMIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext gateway;
    private int gatewayPort;
    private UUID tenant;
    private String developer;

    @BeforeAll
    void startGateway() {
        TestDatabase db = TestDatabase.get();
        gateway = new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=revocation-gateway", "server.port=0",
                        "spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.username(),
                        "spring.datasource.password=" + db.password(),
                        "platform.gateway.models[0].name=m", "platform.gateway.models[0].endpoints[0]=http://127.0.0.1:1",
                        "spring.autoconfigure.exclude="
                                + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                                + "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
                                + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
                .run();
        gatewayPort = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        tenant = tenant("revocation");
        developer = user("DEVELOPER", tenant);
    }

    @AfterAll
    void stopGateway() {
        gateway.close();
    }

    @Test
    void aRevokedKeyStopsWorkingAtTheGatewayWithinFiveSeconds() throws InterruptedException {
        var created = as(developer).post("/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"to-revoke\"}").json();
        String secret = created.get("secret").asString();
        assertThat(gatewayStatus(secret)).isEqualTo(200);

        Instant revokedAt = Instant.now();
        assertThat(as(developer).post("/api/v1/tenants/" + tenant + "/api-keys/" + created.get("key").get("id").asString() + "/revoke", null)
                .status()).isEqualTo(200);

        assertThat(refusedWithin(secret, revokedAt)).as("refused within %s of revocation", LIMIT).isTrue();
    }

    @Test
    void anExpiredKeyStopsWorkingAtTheGatewayWithinFiveSeconds() throws InterruptedException {
        Instant expiresAt = Instant.now().plusSeconds(2);
        var created = as(developer).post("/api/v1/tenants/" + tenant + "/api-keys",
                "{\"name\":\"expiring\",\"expiresAt\":\"" + expiresAt + "\"}").json();
        String secret = created.get("secret").asString();
        assertThat(gatewayStatus(secret)).isEqualTo(200);

        while (Instant.now().isBefore(expiresAt)) {
            Thread.sleep(50);
        }
        assertThat(refusedWithin(secret, expiresAt)).as("refused within %s of expiry", LIMIT).isTrue();
    }

    /** Polls the gateway every 100 ms while it accepts the key, to at most {@link #LIMIT} after {@code since}. */
    private boolean refusedWithin(String secret, Instant since) throws InterruptedException {
        while (Instant.now().isBefore(since.plus(LIMIT))) {
            if (gatewayStatus(secret) == 401) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private int gatewayStatus(String secret) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/models"))
                .header("Authorization", "Bearer " + secret).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
