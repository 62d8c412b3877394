package io.maas.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.ApiException;
import io.maas.api.tenant.TenantStatus;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.dao.DataAccessResourceFailureException;

class ApiKeyAuthenticatorTests {

    private static final String KNOWN = ApiKeySecret.generate();

    /** A store that counts its lookups and can be made unreachable. */
    private static final class CountingStore extends ApiKeyStore {

        final AtomicInteger lookups = new AtomicInteger();
        volatile boolean down;

        CountingStore() {
            super(null);
        }

        @Override
        Optional<StoredKey> findByHash(byte[] hash) {
            lookups.incrementAndGet();
            if (down) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            return java.util.Arrays.equals(hash, ApiKeySecret.hash(KNOWN))
                    ? Optional.of(new StoredKey(UUID.randomUUID(), UUID.randomUUID(), "sk-known", TenantStatus.ACTIVE, null, null, null))
                    : Optional.empty();
        }

        @Override
        void touch(UUID keyId, Instant usedAt) {
        }
    }

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T00:00:00Z"));
    private final CountingStore store = new CountingStore();
    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(store, properties(), clock);

    @Test
    void anUnknownKeyIsRememberedForTheCacheTimeSoRepeatingItCostsNoQuery() {
        String unknown = ApiKeySecret.generate();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> authenticator.authenticate(unknown)).isInstanceOf(ApiException.class);
        }
        assertThat(store.lookups).hasValue(1);

        clock.advance(Duration.ofSeconds(4));
        assertThatThrownBy(() -> authenticator.authenticate(unknown)).isInstanceOf(ApiException.class);
        assertThat(store.lookups).as("asked again once the negative entry expired").hasValue(2);
    }

    @Test
    void aKeySeenInTheLastMinutesIsServedFromTheLastGoodLookupWhilePostgresIsDown() {
        authenticator.authenticate(KNOWN);
        store.down = true;

        clock.advance(Duration.ofSeconds(30));
        assertThat(authenticator.authenticate(KNOWN).prefix()).isEqualTo("sk-known");

        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> authenticator.authenticate(KNOWN)).as("too old to trust")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().status()).isEqualTo(503));
    }

    private static GatewayProperties properties() {
        return new Binder(new MapConfigurationPropertySource(Map.of("platform.gateway.key-cache-ttl", "3s",
                "platform.gateway.last-good-for", "5m"))).bindOrCreate("platform.gateway", GatewayProperties.class);
    }
}
