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
 * End to end: a key issued and revoked through tenant-service's REST API stops working at a real
 * gateway (started here on the same database, with its default 3 s key cache) within 5 seconds;
 * so does a key at its expiry instant, and every key of a person who is disabled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRevocationIT extends ServiceTest {

    static final Duration LIMIT = Duration.ofSeconds(5);

    private RunningGateway gateway;
    private UUID tenant;
    private String developer;

    @BeforeAll
    void startGateway() {
        gateway = new RunningGateway("revocation-gateway");
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
        assertThat(gateway.models(secret)).isEqualTo(200);

        Instant revokedAt = Instant.now();
        assertThat(as(developer).post("/api/v1/tenants/" + tenant + "/api-keys/" + created.get("key").get("id").asString() + "/revoke", null)
                .status()).isEqualTo(200);

        assertThat(refusedWithin(secret, revokedAt)).as("refused within %s of revocation", LIMIT).isTrue();
    }

    @Test
    void anExpiredKeyStopsWorkingAtTheGatewayWithinFiveSeconds() throws InterruptedException {
        Instant expiresAt = Instant.now().plusSeconds(5); // room for the calls before it on a loaded machine
        var response = as(developer).post("/api/v1/tenants/" + tenant + "/api-keys",
                "{\"name\":\"expiring\",\"expiresAt\":\"" + expiresAt + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String secret = response.json().get("secret").asString();
        assertThat(gateway.models(secret)).isEqualTo(200);

        while (Instant.now().isBefore(expiresAt)) {
            Thread.sleep(50);
        }
        assertThat(refusedWithin(secret, expiresAt)).as("refused within %s of expiry", LIMIT).isTrue();
    }

    @Test
    void theKeysOfADisabledPersonStopWorkingAtTheGatewayWithinFiveSeconds() throws InterruptedException {
        String leaving = user("DEVELOPER", tenant);
        String secret = as(leaving).post("/api/v1/tenants/" + tenant + "/api-keys", "{\"name\":\"leaving\"}").json()
                .get("secret").asString();
        assertThat(gateway.models(secret)).isEqualTo(200);
        String id = admin().get("/api/v1/tenants/" + tenant + "/users").json().valueStream()
                .filter(person -> person.get("username").asString().equals(leaving)).findFirst().orElseThrow()
                .get("id").asString();

        Instant disabledAt = Instant.now();
        assertThat(admin().post("/api/v1/tenants/" + tenant + "/users/" + id + "/disable", null).status()).isEqualTo(200);

        assertThat(refusedWithin(secret, disabledAt)).as("refused within %s of disabling its owner", LIMIT).isTrue();
    }

    /** Polls the gateway every 100 ms while it accepts the key, to at most {@link #LIMIT} after {@code since}. */
    private boolean refusedWithin(String secret, Instant since) throws InterruptedException {
        while (Instant.now().isBefore(since.plus(LIMIT))) {
            if (gateway.models(secret) == 401) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

}
