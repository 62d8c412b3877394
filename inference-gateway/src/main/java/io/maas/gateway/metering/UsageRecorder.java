package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import io.maas.pricing.Charge;
import io.maas.pricing.PriceBook;
import io.maas.pricing.TokenUsage;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Makes a request's usage durable and prices it. Idempotent by request id: writing the same
 * request twice keeps the first record and prices it once. Called before the client is sent the
 * end of the response, so a client that saw a complete answer always has a record behind it.
 *
 * <p>In one transaction: the usage record, its priced ledger entry, the daily roll-up and the end of
 * the request's money reservation. The
 * price comes from the pricing library with the tenant's book in force ({@link TenantPriceBooks});
 * which instant decides version and tier is the book's rule ({@link PriceBook#charge}: completion
 * by default). A request the platform has no price for (no book, or the book does not price the
 * model at that instant) is still recorded, in tier {@code unpriced} with amount zero, logged and
 * counted ({@value #UNPRICED_METRIC}, by model). A private deployment's served name is priced as its
 * catalog model (SQL {@code served_model_catalog}) unless the book names the served name itself.
 *
 * <p>When PostgreSQL cannot take a record, it goes to the {@link UsageSpool} (forced to disk) and is
 * written, priced as it would have been, by a replay every {@value #REPLAY_SECONDS} seconds once
 * PostgreSQL answers again: nothing a client was served is lost to a database outage.
 */
@Component
public class UsageRecorder {

    /** Requests recorded without a price, by model: to be priced and billed afterwards (GET /api/v1/finance/unpriced). */
    public static final String UNPRICED_METRIC = "maas.usage.unpriced";

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    static final int REPLAY_SECONDS = 10;

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final TenantPriceBooks books;
    private final UsageLedger ledger;
    private final UsageSpool spool;

    public UsageRecorder(JdbcClient jdbc, TransactionOperations transactions, TenantPriceBooks books, UsageSpool spool) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.books = books;
        this.ledger = new UsageLedger(jdbc);
        this.spool = spool;
    }

    /**
     * Makes the record durable: in PostgreSQL, or in the spool while PostgreSQL cannot take it.
     * Returns false when a record for this request id already existed.
     */
    public boolean record(UsageRecord record) {
        try {
            return write(record);
        } catch (DataAccessException | TransactionException e) {
            spool.append(record);
            log.error("PostgreSQL did not take the usage of request {} ({}); kept in {} until it does",
                    record.requestId(), e.getMostSpecificCause().getMessage(), spool.dir());
            return true;
        }
    }

    /** Writes spooled records to PostgreSQL; stops at the first failure and tries again next time. */
    @Scheduled(initialDelay = REPLAY_SECONDS, fixedDelay = REPLAY_SECONDS, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    public void replaySpool() {
        for (Path file : spool.drain()) {
            List<UsageRecord> records = spool.read(file);
            try {
                records.forEach(this::write);
                Files.delete(file);
                log.info("Replayed {} spooled usage records from {}", records.size(), file);
            } catch (DataAccessException | TransactionException e) {
                log.warn("PostgreSQL still does not take spooled usage ({}); retrying in {} s",
                        e.getMostSpecificCause().getMessage(), REPLAY_SECONDS);
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private boolean write(UsageRecord record) {
        Boolean written = transactions.execute(status -> {
            if (!insertRecord(record)) {
                return false;
            }
            Charge charge = price(record).orElse(null);
            if (charge == null) {
                Metrics.counter(UNPRICED_METRIC, "model", record.model()).increment();
            }
            ledger.write(record, charge);
            endReservation(record.requestId());
            return true;
        });
        return Boolean.TRUE.equals(written);
    }

    /**
     * The request's money reservation (admission) ends in the transaction that makes its usage count
     * in the ledger: spend is then counted once, never zero times, and a record waiting in the spool
     * keeps its reservation until the replay writes it.
     */
    private void endReservation(String requestId) {
        jdbc.sql("DELETE FROM admission_reservation WHERE request_id = ?").param(requestId).update();
    }

    private boolean insertRecord(UsageRecord record) {
        Usage usage = record.usage();
        return jdbc.sql("""
                        INSERT INTO usage_record (request_id, tenant_id, api_key_id, model, endpoint, stream,
                            prompt_tokens, prompt_cache_hit_tokens, prompt_cache_miss_tokens, completion_tokens,
                            reasoning_tokens, started_at, completed_at, outcome)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (request_id) DO NOTHING""")
                .params(record.requestId(), record.tenantId(), record.apiKeyId(), record.model(),
                        record.endpoint().toString(), record.stream(),
                        usage.cacheHitTokens() + usage.cacheMissTokens(), usage.cacheHitTokens(), usage.cacheMissTokens(),
                        usage.completionTokens(), usage.reasoningTokens(),
                        Timestamp.from(record.startedAt()), Timestamp.from(record.completedAt()), record.outcome().name())
                .update() == 1;
    }

    private Optional<Charge> price(UsageRecord record) {
        Optional<PriceBook> book = books.of(record.tenantId());
        if (book.isEmpty()) {
            log.warn("request={} tenant={} has no price book and there is no platform default; recorded unpriced",
                    record.requestId(), record.tenantId());
            return Optional.empty();
        }
        Usage usage = record.usage();
        var tokens = new TokenUsage(usage.cacheHitTokens(), usage.cacheMissTokens(), usage.completionTokens());
        try {
            String catalogModel = jdbc.sql("SELECT COALESCE(served_model_catalog(?, ?), ?)")
                    .params(record.tenantId(), record.model(), record.model()).query(String.class).single();
            return Optional.of(book.get().charge(record.model(), catalogModel, record.startedAt(), record.completedAt(), tokens));
        } catch (IllegalArgumentException e) {
            log.warn("request={} model={} not priced by book '{}': {}; recorded unpriced",
                    record.requestId(), record.model(), book.get().name(), e.getMessage());
            return Optional.empty();
        }
    }
}
