package io.maas.gateway.pricebook;

import io.maas.gateway.cache.BatchedRefresh;
import io.maas.gateway.cache.SingleFlight;
import io.maas.pricing.DecidingInstant;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The price book in force for a tenant, for admission's worst case and for settlement: the schema's
 * one rule ({@code price_book_in_force}: the tenant's book, else the platform default), which
 * tenant-service calls too. Asked with one small query (book id and number of versions), so a newly
 * assigned book or a newly added version is used by the very next settlement, and by admission within
 * its limits' cache time ({@link #of(UUID, Duration)}); the parsed book is cached by (book, number of
 * versions), which is exact because versions are only ever appended.
 */
@Component
public final class TenantPriceBooks {

    private record Head(UUID id, String name, String decidingInstant, int versions) {
    }

    /** A tenant and the head of its book in force. */
    private record TenantHead(UUID tenant, UUID id, String name, String decidingInstant, int versions) {

        Head head() {
            return new Head(id, name, decidingInstant, versions);
        }
    }

    /**
     * A tenant's book as it was asked at {@code askedNanos} ({@link System#nanoTime()}) for a caller trusting it {@code fresh},
     * last used at {@code usedNanos}.
     */
    private static final class Asked {
        final Optional<PriceBook> book;
        final long askedNanos;
        final Duration fresh;
        volatile long usedNanos;

        Asked(Optional<PriceBook> book, long askedNanos, Duration fresh) {
            this.book = book;
            this.askedNanos = askedNanos;
            this.fresh = fresh;
            this.usedNanos = askedNanos;
        }
    }

    private static final int MAX_REMEMBERED = 100_000;

    private final JdbcClient jdbc;
    private final Map<Head, PriceBook> parsed = new ConcurrentHashMap<>();
    private final Map<UUID, Asked> recent = new ConcurrentHashMap<>();
    private final SingleFlight<UUID, Asked> asks = new SingleFlight<>();
    private final BatchedRefresh<UUID> refreshes;

    public TenantPriceBooks(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.refreshes = new BatchedRefresh<>("price-books", this::refresh);
    }

    /** The book pricing {@code tenantId}'s requests; empty when neither the tenant nor the platform has one. */
    public Optional<PriceBook> of(UUID tenantId) {
        return jdbc.sql("""
                        SELECT b.id, b.name, b.deciding_instant,
                               (SELECT count(*) FROM price_book_version v WHERE v.book_id = b.id) AS versions
                        FROM price_book b
                        WHERE b.id = price_book_in_force(?)""")
                .param(tenantId)
                .query(Head.class)
                .optional()
                .map(head -> parsed.computeIfAbsent(head, this::load));
    }

    /**
     * {@link #of(UUID)} of each of {@code tenantIds}, asked in one query (a settlement batch's tenants); a tenant
     * without a book is absent from the answer.
     */
    public Map<UUID, PriceBook> of(Collection<UUID> tenantIds) {
        if (tenantIds.size() == 1) {
            // PostgreSQL plans the statement for many tenants again at every execution (the length of its array changes
            // its estimates), 0.3-0.7 ms, and the one for a tenant once: a batch of one tenant's requests, which is what
            // a gateway settles while it is not busy, asks with that one
            UUID tenantId = tenantIds.iterator().next();
            return of(tenantId).map(book -> Map.of(tenantId, book)).orElseGet(Map::of);
        }
        Map<UUID, PriceBook> books = new HashMap<>();
        jdbc.sql("""
                        SELECT t.id AS tenant, b.id, b.name, b.deciding_instant,
                               (SELECT count(*) FROM price_book_version v WHERE v.book_id = b.id) AS versions
                        FROM unnest(?::uuid[]) AS t(id) JOIN price_book b ON b.id = price_book_in_force(t.id)""")
                .param(tenantIds.stream().map(UUID::toString).toArray(String[]::new))
                .query(TenantHead.class)
                .list()
                .forEach(row -> books.put(row.tenant(), parsed.computeIfAbsent(row.head(), this::load)));
        return books;
    }

    /**
     * The book pricing {@code tenantId}'s requests as it was asked less than {@code fresh} ago, else asked now: for
     * admission's worst case, whose limits are trusted as long ({@code platform.gateway.admission.policy-cache-ttl}),
     * so that admitting a request asks PostgreSQL nothing. A book assigned or a version added binds admission
     * within {@code fresh}; settlement always asks ({@link #of}). The books of tenants in use are asked again in the
     * background ({@link #keepWarm}), so that no request of theirs waits for it, whatever the number of tenants.
     */
    public Optional<PriceBook> of(UUID tenantId, Duration fresh) {
        long now = System.nanoTime();
        Asked asked = recent.get(tenantId);
        if (asked == null || now - asked.askedNanos >= fresh.toNanos()) {
            asked = asks.load(tenantId, asking(tenantId, now, fresh));
        }
        asked.usedNanos = now;
        return asked.book;
    }

    /**
     * Has the books of tenants asked for by admission in the last {@value BatchedRefresh#KEEP_WARM_MINUTES} minutes asked
     * again when half their freshness has passed (the other half is slack for a busy database), and forgets the others.
     */
    @Scheduled(fixedRate = 250, timeUnit = TimeUnit.MILLISECONDS)
    void keepWarm() {
        long now = System.nanoTime();
        refreshes.sweep(recent, asked -> now - asked.usedNanos > TimeUnit.MINUTES.toNanos(BatchedRefresh.KEEP_WARM_MINUTES),
                asked -> now - asked.askedNanos >= asked.fresh.toNanos() / 2);
    }

    /** An ask of {@code tenantId}'s book, remembered as asked at {@code now} (before the query: never trusted too long). */
    private Supplier<Asked> asking(UUID tenantId, long now, Duration fresh) {
        return () -> {
            Asked asked = new Asked(of(tenantId), now, fresh);
            remember(tenantId, asked);
            return asked;
        };
    }

    /** Asks the books of {@code tenantIds} again in one query, remembered as asked before it (and as used when they were). */
    private void refresh(List<UUID> tenantIds) {
        long now = System.nanoTime();
        Map<UUID, PriceBook> books = of(tenantIds);
        for (UUID tenantId : tenantIds) {
            Asked last = recent.get(tenantId);
            if (last != null) {
                Asked asked = new Asked(Optional.ofNullable(books.get(tenantId)), now, last.fresh);
                asked.usedNanos = last.usedNanos;
                remember(tenantId, asked);
            }
        }
    }

    private void remember(UUID tenantId, Asked asked) {
        if (recent.size() >= MAX_REMEMBERED) {
            recent.clear();
        }
        recent.put(tenantId, asked);
    }

    private PriceBook load(Head head) {
        var versions = jdbc.sql("SELECT document::text FROM price_book_version WHERE book_id = ? ORDER BY seq")
                .param(head.id())
                .query(String.class)
                .list().stream()
                .map(json -> PricingJson.mapper().readValue(json, PriceBookVersion.class))
                .toList();
        return new PriceBook(head.name(), DecidingInstant.valueOf(head.decidingInstant()), versions);
    }
}
