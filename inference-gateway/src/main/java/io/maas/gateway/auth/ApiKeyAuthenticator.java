package io.maas.gateway.auth;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.tenant.TenantStatus;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.cache.SingleFlight;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Checks a bearer key against the store. A lookup is trusted for {@code platform.gateway.key-cache-ttl}
 * (so a revocation binds every replica within that time), a key not found as well (so repeating an
 * unknown key costs one query per TTL, not one per request; a key created a moment ago works within it).
 * While PostgreSQL cannot be asked, a key found less than {@code platform.gateway.last-good-for} ago is
 * still served from that lookup; other keys get 503. Both caches are bounded. A key's lookup runs once at a time
 * ({@link SingleFlight}): concurrent requests with a stale entry wait for the one lookup. The last-used time is
 * written at most once a minute per key, off the request path.
 */
@Component
public class ApiKeyAuthenticator {

    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_CACHED = 100_000;
    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);

    /** A lookup made at {@code loadedAt} and trusted from {@code checkedAt} for the TTL; {@code key} null: no such key. */
    private record Cached(ApiKeyStore.StoredKey key, Instant loadedAt, Instant checkedAt) {
    }

    private final ApiKeyStore store;
    private final Duration ttl;
    private final Duration lastGoodFor;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final SingleFlight<String, Cached> lookUps = new SingleFlight<>();
    private final Map<java.util.UUID, Instant> touched = new ConcurrentHashMap<>();
    private final Executor background = Executors.newVirtualThreadPerTaskExecutor();

    ApiKeyAuthenticator(ApiKeyStore store, GatewayProperties properties, Clock clock) {
        this.store = store;
        this.ttl = properties.keyCacheTtl();
        this.lastGoodFor = properties.lastGoodFor();
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
        if (cached == null || cached.checkedAt().plus(ttl).isBefore(now)) {
            Cached last = cached;
            cached = lookUps.load(cacheKey, () -> {
                Cached fresh = lookUp(hash, last, now);
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(cacheKey, fresh);
                return fresh;
            });
        }
        ApiKeyStore.StoredKey key = cached.key();
        if (key == null) {
            throw invalid();
        }
        CallerKey caller = valid(key, now);
        touchLater(key, now);
        return caller;
    }

    /**
     * The key {@code keyId} as it stands now, read afresh, for work done on its behalf later (a batch's lines); refused
     * as a request with it would be: revoked, expired, its tenant not active (401), or gone.
     */
    public CallerKey current(java.util.UUID keyId) {
        ApiKeyStore.StoredKey key = store.findById(keyId).orElseThrow(() -> new ApiException(ApiError.INVALID_API_KEY,
                "The API key that created this work no longer exists."));
        return valid(key, clock.instant());
    }

    private static CallerKey valid(ApiKeyStore.StoredKey key, Instant now) {
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
        return new CallerKey(key.id(), key.tenantId(), key.prefix(), key.allowedModels());
    }

    /** A fresh lookup; while the store cannot answer, the last good one when it is recent enough (else 503). */
    private Cached lookUp(byte[] hash, Cached last, Instant now) {
        try {
            return new Cached(store.findByHash(hash).orElse(null), now, now);
        } catch (DataAccessException e) {
            if (last != null && last.key() != null && last.loadedAt().plus(lastGoodFor).isAfter(now)) {
                log.warn("PostgreSQL cannot check API key {}… ({}); serving its lookup of {}", last.key().prefix(),
                        e.getMostSpecificCause().getMessage(), last.loadedAt());
                return new Cached(last.key(), last.loadedAt(), now);
            }
            throw new ApiException(ApiError.SERVICE_UNAVAILABLE, "The gateway cannot check API keys right now (its database"
                    + " is unreachable). Retry in a few seconds.").withHeader("Retry-After", "5");
        }
    }

    private void touchLater(ApiKeyStore.StoredKey key, Instant now) {
        Instant last = touched.get(key.id());
        if (last == null || last.plus(TOUCH_INTERVAL).isBefore(now)) {
            touched.put(key.id(), now);
            background.execute(() -> {
                try {
                    store.touch(key.id(), now);
                } catch (DataAccessException e) {
                    log.debug("Could not record the last use of key {}…: {}", key.prefix(), e.getMessage());
                }
            });
        }
    }

    private static ApiException invalid() {
        return new ApiException(ApiError.INVALID_API_KEY,
                "Incorrect API key provided. Send it as 'Authorization: Bearer sk-…'; keys are shown once, when created.");
    }
}
