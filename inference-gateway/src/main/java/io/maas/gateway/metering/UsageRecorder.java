package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.pricebook.TenantPriceBooks;
import io.maas.gateway.scheduling.OneAtATime;
import io.maas.pricing.Charge;
import io.maas.pricing.PriceBook;
import io.maas.pricing.TokenUsage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
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
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Makes a request's usage durable and prices it. Idempotent by request id: writing the same
 * request twice keeps the first record and prices it once. Called before the client is sent the
 * end of the response, so a client that saw a complete answer always has a record behind it.
 *
 * <p><b>Group commit.</b> {@link #record} hands the record to one writer thread and waits until that
 * record is durable. The writer takes every record that is waiting (at most {@value #MAX_BATCH}), prices them
 * and commits them in one transaction: while one batch commits, the next gathers, so a lone request is
 * written at once and a busy gateway writes hundreds per commit, with no timer. (A second writer on its own
 * connection, tried on the 2-core benchmark machine, did not write more per second: PostgreSQL's share of
 * the cores is what a batch waits for.) In that transaction,
 * for each new record: the usage record, its priced ledger entry, the end of its journal entry
 * ({@link RequestJournal}) and the daily roll-ups (summed per batch), in one statement ({@link UsageLedger}), then the
 * end of the request's money reservation ({@link DurableReservations#end}). The price comes from the pricing library
 * with the tenant's book in force ({@link TenantPriceBooks}, asked once per batch for all its tenants, and priced
 * by one {@link PriceBook#pricer} per book and batch); which instant decides version and tier is the book's rule
 * ({@link PriceBook#charge}: completion by default); a batch's request is priced in the book's batch class (tier {@code batch}). A request the platform has no price for (no book, or the book does not price the model at
 * that instant) is still recorded, in tier {@code unpriced} with amount zero, logged and counted
 * ({@value #UNPRICED_METRIC}, by model). A private deployment's served name is priced as its catalog
 * model unless the book names the served name itself: the catalog model the router served it as, or,
 * when the record does not say (the orphan sweeper's), SQL {@code served_model_catalog}.
 *
 * <p><b>Failures.</b> When PostgreSQL cannot take a batch (unreachable, timed out), its records go to the
 * {@link UsageSpool} (forced to disk) and are written, priced as they would have been, by a replay every
 * {@value #REPLAY_SECONDS} seconds once PostgreSQL answers again: nothing a client was served is lost to a
 * database outage. A batch PostgreSQL rejects for good (a CHECK violation) is split in halves, each
 * committed on its own, until the record it rejects is alone: that one is quarantined in the spool's
 * dead-letter file, every other record of the batch is committed.
 */
@Component
public class UsageRecorder {

    /** Requests recorded without a price, by model: to be priced and billed afterwards (GET /api/v1/finance/unpriced). */
    public static final String UNPRICED_METRIC = "maas.usage.unpriced";
    /** Records per committed batch, and (its count) the batches. */
    public static final String BATCH_METRIC = "maas.usage.batch.records";

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    static final int REPLAY_SECONDS = 10;
    static final int MAX_BATCH = 512;

    /** A record waiting for the writer, and whether it was new once it is durable. */
    private record Pending(UsageRecord record, CompletableFuture<Boolean> written) {
    }

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final TenantPriceBooks books;
    private final UsageLedger ledger;
    private final UsageSpool spool;
    private final DurableReservations reservations;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final OneAtATime replaying = new OneAtATime();
    private final DistributionSummary batchSizes = Metrics.summary(BATCH_METRIC);
    private final Timer batchTime = Metrics.timer("maas.usage.batch.commit");
    private final Thread writer;
    private volatile boolean closed;

    /** Starts the writer thread; {@link #close} stops it once every record handed to it is written. */
    public UsageRecorder(JdbcClient jdbc, TransactionOperations transactions, TenantPriceBooks books, UsageSpool spool,
                         DurableReservations reservations) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.books = books;
        this.ledger = new UsageLedger(jdbc);
        this.spool = spool;
        this.reservations = reservations;
        this.writer = Thread.ofPlatform().name("usage-writer").daemon().start(this::writeWhileOpen);
    }

    /**
     * Makes the record durable: in PostgreSQL, or in the spool while PostgreSQL cannot take it. A record
     * PostgreSQL rejects for good goes to the spool's dead-letter file instead, where it blocks nothing.
     * Returns once it is durable; false when a record for this request id already existed. Called in a transaction,
     * it is written in that transaction, not by the writer.
     */
    public boolean record(UsageRecord record) {
        var pending = new Pending(record, new CompletableFuture<>());
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // written as part of the caller's transaction, whose locks (the orphan sweeper's claimed journal entry) the
            // writer's transaction would wait for
            commit(List.of(pending), this::spool);
            return pending.written().join();
        }
        waiting.add(pending);
        if (closed && waiting.remove(pending)) {
            commit(List.of(pending), this::spool); // the writer is stopping or gone: write it here
        }
        return pending.written().join();
    }

    /** Stops the writer after it wrote every record handed to it. */
    @PreDestroy
    public void close() throws InterruptedException {
        closed = true;
        writer.join();
    }

    private void writeWhileOpen() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                commit(batch, this::spool);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Usage writer failed on a batch of {} records; their requests fail", batch.size(), e);
                batch.forEach(p -> p.written().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /** PostgreSQL cannot take usage now (it is unreachable, busy, timed out). */
    private static final class StillDown extends RuntimeException {
        StillDown(Exception cause) {
            super(cause);
        }
    }

    /**
     * Writes {@code batch} in one transaction and completes each record's future: with whether it was new,
     * or true once it is quarantined. A batch rejected for good is split until the rejected record is alone;
     * when PostgreSQL cannot take records now, {@code stillDown} gets those not written.
     */
    private void commit(List<Pending> batch, BiConsumer<List<Pending>, Exception> stillDown) {
        try {
            Set<String> written = write(batch.stream().map(Pending::record).toList());
            Set<String> answered = new HashSet<>();
            for (Pending p : batch) {
                String id = p.record().requestId();
                p.written().complete(written.contains(id) && answered.add(id)); // a duplicate in the batch was not new
            }
        } catch (DataAccessException | TransactionException e) {
            if (mayTakeItLater(e)) {
                stillDown.accept(batch, e);
            } else if (batch.size() == 1) {
                spool.quarantine(spool.line(batch.getFirst().record()), "rejected by PostgreSQL: " + cause(e));
                batch.getFirst().written().complete(true);
            } else {
                log.warn("PostgreSQL rejected a batch of {} usage records ({}); splitting it to find the record it rejects",
                        batch.size(), cause(e));
                commit(batch.subList(0, batch.size() / 2), stillDown);
                commit(batch.subList(batch.size() / 2, batch.size()), stillDown);
            }
        }
    }

    /** The writer's answer to PostgreSQL being down: the records wait in the spool. */
    private void spool(List<Pending> batch, Exception e) {
        for (Pending p : batch) {
            if (spool.append(p.record())) {
                log.error("PostgreSQL did not take the usage of request {} ({}); kept in {} until it does",
                        p.record().requestId(), cause(e), spool.dir());
            }
            p.written().complete(true);
        }
    }

    /**
     * Writes spooled records to PostgreSQL, oldest first, in batches as the writer does. A line that is not a
     * record, or a record PostgreSQL rejects for good, is quarantined and the replay goes on; at the first
     * transient failure (PostgreSQL unreachable) it stops, keeps what is left, and tries again in
     * {@value #REPLAY_SECONDS} s. One replay at a time.
     */
    public void replaySpool() {
        replaying.afterRunning(this::replay);
    }

    /** {@link #replaySpool} every {@value #REPLAY_SECONDS} s, unless a replay still runs. */
    @Scheduled(initialDelay = REPLAY_SECONDS, fixedRate = REPLAY_SECONDS, timeUnit = TimeUnit.SECONDS)
    void replaySpoolUnlessReplaying() {
        replaying.unlessRunning(this::replay);
    }

    private void replay() {
        for (Path file : spool.drain()) {
            List<UsageSpool.Line> lines = spool.read(file);
            for (int from = 0; from < lines.size(); from += MAX_BATCH) {
                List<UsageSpool.Line> chunk = lines.subList(from, Math.min(lines.size(), from + MAX_BATCH));
                try {
                    commit(chunk.stream().filter(l -> l.record() != null).map(l -> new Pending(l.record(), new CompletableFuture<>()))
                            .toList(), (notWritten, e) -> {
                                throw new StillDown(e);
                            });
                } catch (StillDown e) {
                    spool.keepOnly(file, lines.subList(from, lines.size()));
                    log.warn("PostgreSQL still does not take spooled usage ({}); retrying in {} s", cause((Exception) e.getCause()),
                            REPLAY_SECONDS);
                    return;
                }
                chunk.stream().filter(l -> l.record() == null)
                        .forEach(l -> spool.quarantine(l.text(), "not a usage record (a line torn by a crash?)"));
            }
            spool.keepOnly(file, List.of());
            log.info("Replayed {} spooled usage lines from {}", lines.size(), file);
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

    /**
     * Prices {@code records} and writes them in one transaction; returns the request ids that were new. Of
     * records with the same request id only the first is written.
     */
    private Set<String> write(List<UsageRecord> records) {
        Map<String, UsageRecord> distinct = new LinkedHashMap<>();
        records.forEach(r -> distinct.putIfAbsent(r.requestId(), r));
        List<UsageLedger.Priced> priced = price(distinct.values());
        Set<String> written = batchTime.record(() -> transactions.execute(status -> {
            Set<String> fresh = ledger.write(priced);
            if (!fresh.isEmpty()) {
                reservations.end(priced.stream().filter(p -> fresh.contains(p.record().requestId())).map(UsageRecorder::spent)
                        .toList()); // spend counted once: in the ledger from now on, no longer held
            }
            return fresh;
        }));
        batchSizes.record(priced.size());
        written = written == null ? Set.of() : written;
        for (UsageLedger.Priced p : priced) {
            if (p.charge().isEmpty() && written.contains(p.record().requestId())) {
                Metrics.counter(UNPRICED_METRIC, "model", p.record().model()).increment();
            }
        }
        return written;
    }

    /** A served name as a tenant calls it. */
    private record Served(UUID tenantId, String model) {
    }

    /**
     * Prices {@code records} with their tenants' books in force, asked in one query for the batch, and the catalog
     * models of the records that do not carry theirs, asked in one more.
     */
    private List<UsageLedger.Priced> price(Collection<UsageRecord> records) {
        Map<UUID, PriceBook> booksOf = books.of(records.stream().map(UsageRecord::tenantId).collect(Collectors.toSet()));
        Map<Served, String> catalog = catalogModels(records.stream().filter(r -> r.placement().catalogModel() == null)
                .map(r -> new Served(r.tenantId(), r.model())).collect(Collectors.toSet()));
        Map<PriceBook, PriceBook.Pricer> pricers = new IdentityHashMap<>(); // per book: its tier once per span, not per record
        List<UsageLedger.Priced> priced = new ArrayList<>(records.size());
        for (UsageRecord r : records) {
            String catalogModel = r.placement().catalogModel() != null ? r.placement().catalogModel()
                    : catalog.get(new Served(r.tenantId(), r.model()));
            priced.add(new UsageLedger.Priced(r, price(r, Optional.ofNullable(booksOf.get(r.tenantId())), pricers, catalogModel)));
        }
        return priced;
    }

    /** What each served name stands for (SQL {@code served_model_catalog}; the name itself when it is no deployment's). */
    private Map<Served, String> catalogModels(Set<Served> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        List<Served> asked = List.copyOf(names);
        return jdbc.sql("SELECT s.tenant, s.served, COALESCE(served_model_catalog(s.tenant, s.served), s.served) "
                        + "FROM unnest(?::uuid[], ?::text[]) AS s(tenant, served)")
                .params(asked.stream().map(n -> n.tenantId().toString()).toArray(String[]::new),
                        asked.stream().map(Served::model).toArray(String[]::new))
                .query((rs, row) -> Map.entry(new Served(rs.getObject(1, UUID.class), rs.getString(2)), rs.getString(3)))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static DurableReservations.Spent spent(UsageLedger.Priced priced) {
        Usage usage = priced.record().usage();
        return new DurableReservations.Spent(priced.record().requestId(),
                usage.cacheHitTokens() + usage.cacheMissTokens() + usage.completionTokens(),
                priced.charge().map(c -> c.currency().name()).orElse(UsageLedger.NO_CURRENCY),
                priced.charge().map(Charge::amount).orElse(java.math.BigDecimal.ZERO));
    }

    private Optional<Charge> price(UsageRecord record, Optional<PriceBook> book, Map<PriceBook, PriceBook.Pricer> pricers,
                                   String catalogModel) {
        if (book.isEmpty()) {
            log.warn("request={} tenant={} has no price book and there is no platform default; recorded unpriced",
                    record.requestId(), record.tenantId());
            return Optional.empty();
        }
        Usage usage = record.usage();
        var tokens = new TokenUsage(usage.cacheHitTokens(), usage.cacheMissTokens(), usage.completionTokens());
        try {
            return Optional.of(pricers.computeIfAbsent(book.get(), PriceBook::pricer).charge(record.model(), catalogModel,
                    record.startedAt(), record.completedAt(), tokens, record.priceClass()));
        } catch (IllegalArgumentException e) {
            log.warn("request={} model={} not priced by book '{}': {}; recorded unpriced",
                    record.requestId(), record.model(), book.get().name(), e.getMessage());
            return Optional.empty();
        }
    }
}
