package io.maas.gateway.metering;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The journal of admitted requests ({@code request_journal}): an entry is written before the engine is
 * called and deleted in the transaction of the request's usage record ({@link UsageRecorder}), so an
 * entry that outlives its request's deadline belongs to a gateway that died with the request in flight.
 * While PostgreSQL is down no entry is written (the request is served and its usage spooled as usual);
 * only a crash during an outage can then lose a request's usage.
 */
@Component
public class RequestJournal {

    private static final Logger log = LoggerFactory.getLogger(RequestJournal.class);

    /** A journalled request: who asked, for what, and the engines it may have run on. */
    public record Entry(String requestId, UUID tenantId, UUID apiKeyId, String model, List<URI> endpoints, boolean stream,
                        Instant startedAt) {
    }

    private final JdbcClient jdbc;

    public RequestJournal(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Journals a request about to be sent to an engine. */
    public void open(Entry entry) {
        try {
            jdbc.sql("""
                            INSERT INTO request_journal (request_id, tenant_id, api_key_id, model, endpoints, stream, started_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(entry.requestId(), entry.tenantId(), entry.apiKeyId(), entry.model(),
                            entry.endpoints().stream().map(URI::toString).toArray(String[]::new), entry.stream(),
                            Timestamp.from(entry.startedAt()))
                    .update();
        } catch (DataAccessException e) {
            log.warn("request={} not journalled ({}); it is served, but a crash now would lose its usage",
                    entry.requestId(), e.getMostSpecificCause().getMessage());
        }
    }

    /** Ends the entry of {@code requestId}: its usage is recorded, or it never ran. Idempotent. */
    public void close(String requestId) {
        jdbc.sql("DELETE FROM request_journal WHERE request_id = ?").param(requestId).update();
    }

    /** {@link #close(String)} of every request in {@code requestIds}, in one statement (a batch of usage records). */
    public void close(List<String> requestIds) {
        jdbc.sql("DELETE FROM request_journal WHERE request_id = ANY(?)").param(requestIds.toArray(String[]::new)).update();
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
                        SELECT request_id, tenant_id, api_key_id, model, endpoints, stream, started_at FROM request_journal
                        WHERE started_at < ? ORDER BY started_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Timestamp.from(before), limit)
                .query((rs, row) -> new Entry(rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                        Arrays.stream((String[]) rs.getArray(5).getArray()).map(URI::create).toList(), rs.getBoolean(6),
                        rs.getTimestamp(7).toInstant()))
                .list();
    }
}
