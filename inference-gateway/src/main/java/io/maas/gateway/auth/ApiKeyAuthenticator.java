package io.maas.gateway.auth;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.ApiError;
import io.maas.api.tenant.TenantStatus;
import io.maas.gateway.GatewayProperties;
import io.maas.api.openai.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * Checks a bearer key against the store. A key found is trusted for {@code platform.gateway.key-cache-ttl}
 * (so a revocation binds every replica within that time); keys not found are not cached, so a key
 * created a moment ago works at once. The last-used time is written at most once a minute per key,
 * off the request path.
 */
@Component
class ApiKeyAuthenticator {

    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_CACHED = 100_000;

    private record Cached(ApiKeyStore.StoredKey key, Instant loadedAt) {
    }

    private final ApiKeyStore store;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, Instant> touched = new ConcurrentHashMap<>();
    private final Executor background = Executors.newVirtualThreadPerTaskExecutor();

    ApiKeyAuthenticator(ApiKeyStore store, GatewayProperties properties, Clock clock) {
        this.store = store;
        this.ttl = properties.keyCacheTtl();
        this.clock = clock;
    }

    CallerKey authenticate(String bearer) {
        if (!ApiKeySecret.isWellFormed(bearer)) {
            throw invalid();
        }
        Instant now = clock.instant();
        byte[] hash = ApiKeySecret.hash(bearer);
        String cacheKey = HexFormat.of().formatHex(hash);
        Cached cached = cache.get(cacheKey);
        if (cached == null || cached.loadedAt().plus(ttl).isBefore(now)) {
            var stored = store.findByHash(hash).orElseThrow(ApiKeyAuthenticator::invalid);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cached = new Cached(stored, now);
            cache.put(cacheKey, cached);
        }
        ApiKeyStore.StoredKey key = cached.key();
        if (key.revokedAt() != null && !key.revokedAt().isAfter(now)) {
            throw new ApiException(ApiError.INVALID_API_KEY, "The API key " + key.prefix() + "… has been revoked.");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
            throw new ApiException(ApiError.INVALID_API_KEY, "The API key " + key.prefix() + "… expired at " + key.expiresAt() + ".");
        }
        if (key.tenantStatus() != TenantStatus.ACTIVE) {
            throw new ApiException(ApiError.INVALID_API_KEY, "The tenant of API key " + key.prefix() + "… is "
                    + key.tenantStatus().name().toLowerCase(java.util.Locale.ROOT) + ". Contact your platform administrator.");
        }
        touchLater(key, now);
        return new CallerKey(key.id(), key.tenantId(), key.prefix(), key.allowedModels());
    }

    private void touchLater(ApiKeyStore.StoredKey key, Instant now) {
        Instant last = touched.get(key.id());
        if (last == null || last.plus(TOUCH_INTERVAL).isBefore(now)) {
            touched.put(key.id(), now);
            background.execute(() -> store.touch(key.id(), now));
        }
    }

    private static ApiException invalid() {
        return new ApiException(ApiError.INVALID_API_KEY,
                "Incorrect API key provided. Send it as 'Authorization: Bearer sk-…'; keys are shown once, when created.");
    }
}
