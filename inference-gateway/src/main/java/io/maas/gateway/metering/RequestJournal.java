package io.maas.gateway.metering;

import io.maas.pricing.PriceClass;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The journal of admitted requests ({@code request_journal}): an entry is written before the engine is
 * called and deleted by the statement that writes the request's usage record ({@link UsageLedger}, in
 * {@link UsageRecorder}'s transaction), so an
 * entry that outlives its request's deadline belongs to a gateway that died with the request in flight.
 * While PostgreSQL is down no entry is written (the request is served and its usage spooled as usual);
 * only a crash during an outage can then lose a request's usage.
 */
@Component
public class RequestJournal {

    private static final Logger log = LoggerFactory.getLogger(RequestJournal.class);

    /** A journalled request: who asked, for what, the engines it may have run on, and how it is priced. */
    public record Entry(String requestId, UUID tenantId, UUID apiKeyId, String model, List<URI> endpoints, boolean stream,
                        Instant startedAt, PriceClass priceClass) {
    }

    private static final int MAX_BATCH = 512;

    /** An entry waiting for the writer, completed once it is durable. */
    private record Opening(Entry entry, CompletableFuture<Void> written) {
    }

    private final JdbcClient jdbc;
    private final BlockingQueue<Opening> waiting = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean closed;

    public RequestJournal(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Journals a request about to be sent to an engine; returns once its entry is durable, or logged as not
     * journalled. Entries are group-committed: one writer inserts every entry waiting (at most {@value #MAX_BATCH})
     * in one statement, so requests arriving together share a commit.
     */
    public void open(Entry entry) {
        var opening = new Opening(entry, new CompletableFuture<>());
        waiting.add(opening);
        startWriter();
        try {
            opening.written().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof DataAccessException data ? data.getMostSpecificCause() : e.getCause();
            log.warn("request={} not journalled ({}); it is served, but a crash now would lose its usage",
                    entry.requestId(), cause.getMessage());
        }
    }

    /** Stops the writer once every entry handed to it is written. */
    @PreDestroy
    public void stop() throws InterruptedException {
        closed = true;
        Thread running = writer;
        if (running != null) {
            running.join();
        }
    }

    private synchronized void startWriter() {
        if (writer == null && !closed) {
            writer = Thread.ofPlatform().name("journal-writer").daemon().start(this::writeWhileOpen);
        } else if (closed) {
            List<Opening> left = new ArrayList<>();
            waiting.drainTo(left);
            if (!left.isEmpty()) {
                insert(left);
            }
        }
    }

    private void writeWhileOpen() {
        List<Opening> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !waiting.isEmpty()) {
            try {
                Opening first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                insert(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void insert(List<Opening> batch) {
        try {
            jdbc.sql("""
                            INSERT INTO request_journal (request_id, tenant_id, api_key_id, model, endpoints, stream, started_at,
                                price_class)
                            SELECT id, tenant, api_key, model, string_to_array(endpoints, ' '), stream, started_at::timestamptz,
                                price_class
                            FROM unnest(?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::text[])
                                AS e(id, tenant, api_key, model, endpoints, stream, started_at, price_class)""")
                    .params(column(batch, o -> o.entry().requestId()), column(batch, o -> o.entry().tenantId()),
                            column(batch, o -> o.entry().apiKeyId()), column(batch, o -> o.entry().model()),
                            column(batch, o -> String.join(" ", o.entry().endpoints().stream().map(URI::toString).toList())),
                            column(batch, o -> o.entry().stream()), column(batch, o -> o.entry().startedAt().toString()),
                            column(batch, o -> o.entry().priceClass().name()))
                    .update();
            batch.forEach(o -> o.written().complete(null));
        } catch (RuntimeException e) {
            batch.forEach(o -> o.written().completeExceptionally(e));
        }
    }

    /** One column of the batch as text, cast to its type in the statement. */
    private static String[] column(List<Opening> batch, Function<Opening, Object> value) {
        return batch.stream().map(value).map(String::valueOf).toArray(String[]::new);
    }

    /** Ends the entry of {@code requestId}: its usage is recorded, or it never ran. Idempotent. */
    public void close(String requestId) {
        jdbc.sql("DELETE FROM request_journal WHERE request_id = ?").param(requestId).update();
    }

    /** Ends the entry of a request that did not run; a failure only leaves it to the sweeper. */
    public void discard(String requestId) {
        try {
            close(requestId);
        } catch (DataAccessException e) {
            log.debug("request={}: journal entry left to the sweeper ({})", requestId, e.getMessage());
        }
    }

    /**
     * Up to {@code limit} entries started before {@code before}, locked for the caller's transaction and
     * skipped by every other replica's (so each is handled once).
     */
    public List<Entry> claimOrphans(Instant before, int limit) {
        return jdbc.sql("""
                        SELECT request_id, tenant_id, api_key_id, model, endpoints, stream, started_at, price_class FROM request_journal
                        WHERE started_at < ? ORDER BY started_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Timestamp.from(before), limit)
                .query((rs, row) -> new Entry(rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                        Arrays.stream((String[]) rs.getArray(5).getArray()).map(URI::create).toList(), rs.getBoolean(6),
                        rs.getTimestamp(7).toInstant(), PriceClass.valueOf(rs.getString(8))))
                .list();
    }
}
