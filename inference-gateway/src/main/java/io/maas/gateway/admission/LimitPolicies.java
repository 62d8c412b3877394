package io.maas.gateway.admission;

import io.maas.api.tenant.BillingMode;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.cache.BatchedRefresh;
import io.maas.gateway.cache.SingleFlight;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The limits that bind a request: the policies of its tenant and its key, those for every model and
 * those for the requested one, plus how the tenant pays. A scope's two layers (the platform's and the
 * tenant's own) become one policy with the tighter of each limit. Read from PostgreSQL and trusted for
 * {@code platform.gateway.admission.policy-cache-ttl} (≤ 3 s), so a change made in tenant-service binds
 * every replica within that time. While PostgreSQL cannot be asked, limits read less than
 * {@code platform.gateway.last-good-for} ago keep binding. A scope's read runs once at a time ({@link SingleFlight}).
 * Scopes used in the last {@value BatchedRefresh#KEEP_WARM_MINUTES} minutes are read again in the background once half
 * the TTL has passed (the other half is slack for a busy database), together with the other scopes coming due
 * ({@link BatchedRefresh}: one query per table for up to a thousand), so that no request of a tenant in use waits for
 * PostgreSQL, however many tenants there are and however seldom each sends; scopes unused for longer are forgotten.
 */
@Component
class LimitPolicies {

    private static final int MAX_CACHED = 100_000;
    private static final Logger log = LoggerFactory.getLogger(LimitPolicies.class);

    /** How a tenant pays: {@code PREPAID} spends its balance; {@code POSTPAID} may owe up to {@code creditLimit} (null: no limit). */
    record Billing(BillingMode mode, BigDecimal creditLimit) {

        boolean prepaid() {
            return mode == BillingMode.PREPAID;
        }
    }

    /** Every policy of the tenant and the key (any model), and the tenant's billing. */
    record Applicable(List<LimitPolicy> policies, Billing billing) {

        /** The policies that bind a request for {@code model}. */
        List<LimitPolicy> forModel(String model) {
            return policies.stream().filter(p -> p.model() == null || p.model().equals(model)).toList();
        }
    }

    /** Read at {@code loadedAt}, trusted from {@code checkedAt} for the TTL, last asked for at {@code usedAt}. */
    private static final class Cached {
        final Applicable applicable;
        final Instant loadedAt;
        final Instant checkedAt;
        volatile Instant usedAt;

        Cached(Applicable applicable, Instant loadedAt, Instant checkedAt) {
            this.applicable = applicable;
            this.loadedAt = loadedAt;
            this.checkedAt = checkedAt;
            this.usedAt = checkedAt;
        }
    }

    private record CacheKey(UUID tenantId, UUID keyId) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration ttl;
    private final Duration lastGoodFor;
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();
    private final SingleFlight<CacheKey, Cached> reloads = new SingleFlight<>();
    private final BatchedRefresh<CacheKey> refreshes;

    LimitPolicies(JdbcClient jdbc, Clock clock, AdmissionProperties properties, GatewayProperties gateway) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = properties.policyCacheTtl();
        this.lastGoodFor = gateway.lastGoodFor();
        this.refreshes = new BatchedRefresh<>("limits", this::refresh);
    }

    Applicable of(UUID tenantId, UUID keyId) {
        Instant now = clock.instant();
        CacheKey key = new CacheKey(tenantId, keyId);
        Cached cached = cache.get(key);
        if (cached == null || cached.checkedAt.plus(ttl).isBefore(now)) {
            cached = reloads.load(key, reloading(key, cached, now));
        }
        cached.usedAt = now;
        return cached.applicable;
    }

    /**
     * Has the scopes used in the last {@value BatchedRefresh#KEEP_WARM_MINUTES} minutes read again when half their TTL has
     * passed, and forgets the others.
     */
    @Scheduled(fixedRate = 250, timeUnit = TimeUnit.MILLISECONDS)
    void keepWarm() {
        Instant now = clock.instant();
        Instant due = now.minus(ttl.dividedBy(2));
        Instant unused = now.minus(Duration.ofMinutes(BatchedRefresh.KEEP_WARM_MINUTES));
        refreshes.sweep(cache, cached -> cached.usedAt.isBefore(unused), cached -> cached.checkedAt.isBefore(due));
    }

    /** A read of {@code key}'s limits that replaces {@code last} in the cache. */
    private Supplier<Cached> reloading(CacheKey key, Cached last, Instant now) {
        return () -> {
            Cached fresh = reload(key, last, now);
            remember(key, fresh);
            return fresh;
        };
    }

    /**
     * Reads the limits of {@code keys} again, in one query per table; trusted from before the read (never longer than the
     * TTL), used when they were.
     */
    private void refresh(List<CacheKey> keys) {
        Instant now = clock.instant();
        load(keys).forEach((key, applicable) -> {
            Cached last = cache.get(key);
            if (last != null) {
                Cached fresh = new Cached(applicable, now, now);
                fresh.usedAt = last.usedAt;
                remember(key, fresh);
            }
        });
    }

    private void remember(CacheKey key, Cached cached) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, cached);
    }

    /** A fresh read; while PostgreSQL cannot answer, the last good one when it is recent enough (else the failure). */
    private Cached reload(CacheKey key, Cached last, Instant now) {
        UUID tenantId = key.tenantId();
        try {
            Applicable applicable = load(List.of(key)).get(key);
            if (applicable == null) {
                throw new EmptyResultDataAccessException("No tenant " + tenantId, 1);
            }
            return new Cached(applicable, now, now);
        } catch (DataAccessException e) {
            if (last == null || !last.loadedAt.plus(lastGoodFor).isAfter(now)) {
                throw e;
            }
            log.warn("PostgreSQL cannot give the limits of tenant {} ({}); using those read at {}", tenantId,
                    e.getMostSpecificCause().getMessage(), last.loadedAt);
            return new Cached(last.applicable, last.loadedAt, now);
        }
    }

    /** The limits and billing of each of {@code keys} whose tenant exists: one query for the policies, one for the billing. */
    private Map<CacheKey, Applicable> load(Collection<CacheKey> keys) {
        String[] tenants = keys.stream().map(key -> key.tenantId().toString()).distinct().toArray(String[]::new);
        String[] apiKeys = keys.stream().map(CacheKey::keyId).filter(Objects::nonNull).map(UUID::toString).distinct()
                .toArray(String[]::new); // none: the tenant's own policies only
        List<LimitPolicy> rows = jdbc.sql("""
                        SELECT tenant_id, api_key_id, model, requests_per_minute, tokens_per_minute, max_concurrent_requests,
                               daily_tokens, monthly_tokens, monthly_spend_limit, monthly_spend_currency
                        FROM limit_policy
                        WHERE tenant_id = ANY (?::uuid[]) AND (api_key_id IS NULL OR api_key_id = ANY (?::uuid[]))
                        ORDER BY layer""")
                .params(tenants, apiKeys)
                .query((rs, row) -> new LimitPolicy(rs.getObject("tenant_id", UUID.class), rs.getObject("api_key_id", UUID.class),
                        rs.getString("model"), rs.getObject("requests_per_minute", Long.class), rs.getObject("tokens_per_minute", Long.class),
                        rs.getObject("max_concurrent_requests", Long.class), rs.getObject("daily_tokens", Long.class),
                        rs.getObject("monthly_tokens", Long.class), rs.getBigDecimal("monthly_spend_limit"), rs.getString("monthly_spend_currency")))
                .list();
        Map<UUID, Billing> billings = new HashMap<>();
        jdbc.sql("SELECT id, billing_mode, credit_limit FROM tenant WHERE id = ANY (?::uuid[])")
                .param(tenants)
                .query((rs, row) -> billings.put(rs.getObject("id", UUID.class),
                        new Billing(BillingMode.valueOf(rs.getString("billing_mode")), rs.getBigDecimal("credit_limit"))))
                .list();
        Map<UUID, List<LimitPolicy>> byTenant = rows.stream().collect(Collectors.groupingBy(LimitPolicy::tenantId));
        Map<CacheKey, Applicable> loaded = new HashMap<>();
        for (CacheKey key : keys) {
            Billing billing = billings.get(key.tenantId());
            if (billing == null) {
                continue;
            }
            // the platform's and the tenant's layer of one scope bind as one policy (one set of counters): the tighter of each limit
            Map<String, LimitPolicy> byScope = new LinkedHashMap<>();
            byTenant.getOrDefault(key.tenantId(), List.of()).stream()
                    .filter(policy -> policy.keyId() == null || policy.keyId().equals(key.keyId()))
                    .forEach(policy -> byScope.merge(policy.scope(), policy, LimitPolicy::tighter));
            loaded.put(key, new Applicable(List.copyOf(byScope.values()), billing));
        }
        return loaded;
    }
}
