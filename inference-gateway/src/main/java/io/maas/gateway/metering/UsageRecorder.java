package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.pricebook.TenantPriceBooks;
import io.maas.pricing.Charge;
import io.maas.pricing.PriceBook;
import io.maas.pricing.TokenUsage;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
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
 * <p>In one transaction: the usage record, its priced ledger entry, the daily roll-up, the end of
 * the request's money reservation and of its journal entry ({@link RequestJournal}). The
 * price comes from the pricing library with the tenant's book in force ({@link TenantPriceBooks});
 * which instant decides version and tier is the book's rule ({@link PriceBook#charge}: completion
 * by default); a batch's request is priced in the book's batch class (tier {@code batch}). A request the platform has no price for (no book, or the book does not price the
 * model at that instant) is still recorded, in tier {@code unpriced} with amount zero, logged and
 * counted ({@value #UNPRICED_METRIC}, by model). A private deployment's served name is priced as its
 * catalog model unless the book names the served name itself: the catalog model the router served it as,
 * or, when the record does not say (the orphan sweeper's), SQL {@code served_model_catalog}.
 *
 * <p>When PostgreSQL cannot take a record, it goes to the {@link UsageSpool} (forced to disk) and is
 * written, priced as it would have been, by a replay every {@value #REPLAY_SECONDS} seconds once
 * PostgreSQL answers again: nothing a client was served is lost to a database outage. A record
 * PostgreSQL rejects for good is quarantined, never retried forever.
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
    private final DurableReservations reservations;
    private final RequestJournal journal;

    public UsageRecorder(JdbcClient jdbc, TransactionOperations transactions, TenantPriceBooks books, UsageSpool spool,
                         DurableReservations reservations) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.books = books;
        this.ledger = new UsageLedger(jdbc);
        this.spool = spool;
        this.reservations = reservations;
        this.journal = new RequestJournal(jdbc);
    }

    /**
     * Makes the record durable: in PostgreSQL, or in the spool while PostgreSQL cannot take it. A record
     * PostgreSQL rejects for good goes to the spool's dead-letter file instead, where it blocks nothing.
     * Returns false when a record for this request id already existed.
     */
    public boolean record(UsageRecord record) {
        try {
            return write(record);
        } catch (DataAccessException | TransactionException e) {
            if (!mayTakeItLater(e)) {
                spool.quarantine(spool.line(record), "rejected by PostgreSQL: " + cause(e));
                return true;
            }
            if (spool.append(record)) {
                log.error("PostgreSQL did not take the usage of request {} ({}); kept in {} until it does",
                        record.requestId(), cause(e), spool.dir());
            }
            return true;
        }
    }

    /**
     * Writes spooled records to PostgreSQL, oldest first. A line that is not a record, or a record
     * PostgreSQL rejects for good, is quarantined and the replay goes on; at the first transient failure
     * (PostgreSQL unreachable) it stops, keeps what is left, and tries again in {@value #REPLAY_SECONDS} s.
     */
    @Scheduled(initialDelay = REPLAY_SECONDS, fixedDelay = REPLAY_SECONDS, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    public void replaySpool() {
        for (Path file : spool.drain()) {
            List<UsageSpool.Line> lines = spool.read(file);
            int written = 0;
            for (int i = 0; i < lines.size(); i++) {
                UsageSpool.Line line = lines.get(i);
                if (line.record() == null) {
                    spool.quarantine(line.text(), "not a usage record (a line torn by a crash?)");
                    continue;
                }
                try {
                    write(line.record());
                    written++;
                } catch (DataAccessException | TransactionException e) {
                    if (mayTakeItLater(e)) {
                        spool.keepOnly(file, lines.subList(i, lines.size()));
                        log.warn("PostgreSQL still does not take spooled usage ({}); retrying in {} s", cause(e), REPLAY_SECONDS);
                        return;
                    }
                    spool.quarantine(line.text(), "rejected by PostgreSQL: " + cause(e));
                }
            }
            spool.keepOnly(file, List.of());
            log.info("Replayed {} spooled usage records from {}", written, file);
        }
    }

    /** Whether PostgreSQL may take it later (it is unreachable, busy, timed out), as opposed to rejecting it for good. */
    private static boolean mayTakeItLater(Exception e) {
        return e instanceof TransientDataAccessException || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException || e instanceof TransactionException;
    }

    private static String cause(Exception e) {
        return e instanceof NestedRuntimeException nested ? nested.getMostSpecificCause().getMessage() : e.getMessage();
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
            reservations.end(record.requestId()); // spend counted once: in the ledger from now on, no longer held
            journal.close(record.requestId());
            return true;
        });
        return Boolean.TRUE.equals(written);
    }

    private boolean insertRecord(UsageRecord record) {
        Usage usage = record.usage();
        return jdbc.sql("""
                        INSERT INTO usage_record (request_id, tenant_id, api_key_id, model, endpoint, stream,
                            prompt_tokens, prompt_cache_hit_tokens, prompt_cache_miss_tokens, completion_tokens,
                            reasoning_tokens, started_at, completed_at, outcome, deployment_id, replica_id, queued_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (request_id) DO NOTHING""")
                .params(record.requestId(), record.tenantId(), record.apiKeyId(), record.model(),
                        record.endpoint().toString(), record.stream(),
                        usage.cacheHitTokens() + usage.cacheMissTokens(), usage.cacheHitTokens(), usage.cacheMissTokens(),
                        usage.completionTokens(), usage.reasoningTokens(),
                        Timestamp.from(record.startedAt()), Timestamp.from(record.completedAt()), record.outcome().name(),
                        record.placement().deploymentId(), record.placement().replicaId(), record.placement().queuedMillis())
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
            String catalogModel = record.placement().catalogModel() != null ? record.placement().catalogModel()
                    : jdbc.sql("SELECT COALESCE(served_model_catalog(?, ?), ?)")
                            .params(record.tenantId(), record.model(), record.model()).query(String.class).single();
            return Optional.of(book.get().charge(record.model(), catalogModel, record.startedAt(), record.completedAt(), tokens,
                    record.priceClass()));
        } catch (IllegalArgumentException e) {
            log.warn("request={} model={} not priced by book '{}': {}; recorded unpriced",
                    record.requestId(), record.model(), book.get().name(), e.getMessage());
            return Optional.empty();
        }
    }
}
