package io.maas.gateway.batch;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.Batch;
import io.maas.api.openai.RequestId;
import io.maas.gateway.auth.CallerKey;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batches and their lines in PostgreSQL ({@code batch}, {@code batch_line}): the API's reads and writes, and the
 * runner's claims. The line is the unit of progress: its result is written when it ends, so whatever ended before a
 * restart is never run again; a line claimed by a gateway that died is claimed again once its claim is stale.
 */
@Repository
class Batches {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };
    private static final String SELECT = """
            SELECT b.*, c.total, c.completed, c.failed FROM batch b CROSS JOIN LATERAL (
                SELECT count(*) AS total, count(*) FILTER (WHERE l.status = 'SUCCEEDED') AS completed,
                       count(*) FILTER (WHERE l.status = 'FAILED') AS failed
                FROM batch_line l WHERE l.batch_id = b.id) c
            """;

    /** A batch the runner looks at: its owner and key, when it may run, and where it stands. */
    record Open(String id, UUID tenantId, UUID keyId, String endpoint, boolean runSooner, BatchStatus status, Instant expiresAt,
                Instant inProgressAt) {
    }

    /** A line claimed for running under {@code requestId}. */
    record Claimed(String batchId, int lineNo, String customId, String model, String body, String requestId) {
    }

    /** A line's status and result as the finalization reads it. */
    record Ended(int lineNo, String customId, String status, String result) {
    }

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json;

    Batches(JdbcClient jdbc, TransactionOperations transactions, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
    }

    /** A new batch: in progress with {@code checked}'s lines, or failed with its errors. */
    Batch create(CallerKey caller, String inputFileId, String endpoint, String completionWindow, boolean runSooner,
                 Map<String, String> metadata, BatchInput.Checked checked, Instant now, Duration window) {
        String id = "batch_" + random();
        Instant created = now.truncatedTo(ChronoUnit.SECONDS);
        boolean failed = !checked.errors().isEmpty();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("""
                            INSERT INTO batch (id, tenant_id, api_key_id, endpoint, input_file_id, completion_window, run_sooner, status,
                                metadata, errors, created_at, expires_at, failed_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)""")
                    .params(id, caller.tenantId(), caller.keyId(), endpoint, inputFileId, completionWindow, runSooner,
                            (failed ? BatchStatus.FAILED : BatchStatus.IN_PROGRESS).wire(),
                            metadata == null ? null : json.writeValueAsString(metadata),
                            failed ? json.writeValueAsString(Batch.Errors.of(checked.errors())) : null,
                            Timestamp.from(created), Timestamp.from(created.plus(window)), failed ? Timestamp.from(created) : null)
                    .update();
            for (BatchInput.Line line : checked.lines()) {
                jdbc.sql("INSERT INTO batch_line (batch_id, line_no, custom_id, model, body) VALUES (?, ?, ?, ?, ?)")
                        .params(id, line.lineNo(), line.customId(), line.model(), line.body()).update();
            }
        });
        return get(caller.tenantId(), id);
    }

    /** {@code tenant}'s batch {@code id}, or 404. */
    Batch get(UUID tenant, String id) {
        return jdbc.sql(SELECT + "WHERE b.id = ? AND b.tenant_id = ?").params(id, tenant).query(this::batch).optional()
                .orElseThrow(() -> new ApiException(ApiError.NOT_FOUND, "No batch found with id '" + id + "'.", "batch_id"));
    }

    /** Up to {@code limit} + 1 of {@code tenant}'s batches, newest first, after batch {@code after} (null: from the newest). */
    List<Batch> list(UUID tenant, String after, int limit) {
        return jdbc.sql(SELECT + """
                        WHERE b.tenant_id = :tenant
                          AND (CAST(:after AS text) IS NULL OR b.seq < (SELECT a.seq FROM batch a WHERE a.id = :after AND a.tenant_id = :tenant))
                        ORDER BY b.seq DESC LIMIT :limit""")
                .param("tenant", tenant).param("after", after).param("limit", limit + 1)
                .query(this::batch).list();
    }

    /**
     * Cancels {@code tenant}'s batch {@code id}: it is cancelling, its lines not yet run never will be, and the runner
     * finishes it as cancelled once the lines running now have ended. 400 when it already ended.
     */
    Batch cancel(UUID tenant, String id, Instant now) {
        Batch batch = get(tenant, id);
        BatchStatus status = BatchStatus.of(batch.status());
        if (status == BatchStatus.CANCELLING || status == BatchStatus.CANCELLED) {
            return batch;
        }
        if (status.terminal() || status == BatchStatus.FINALIZING) {
            throw new ApiException(ApiError.INVALID_REQUEST, "Batch " + id + " is " + status.wire() + " and can no longer be cancelled.", "batch_id");
        }
        transactions.executeWithoutResult(tx -> {
            int changed = jdbc.sql("UPDATE batch SET status = 'cancelling', cancelling_at = ? WHERE id = ? AND status = 'in_progress'")
                    .params(Timestamp.from(now), id).update();
            if (changed == 1) {
                jdbc.sql("UPDATE batch_line SET status = 'CANCELLED' WHERE batch_id = ? AND status = 'PENDING'").param(id).update();
            }
        });
        return get(tenant, id);
    }

    /** The batches that are not done, oldest first. */
    List<Open> open() {
        return jdbc.sql("""
                        SELECT id, tenant_id, api_key_id, endpoint, run_sooner, status, expires_at, in_progress_at FROM batch
                        WHERE status IN ('in_progress', 'cancelling', 'finalizing') ORDER BY seq""")
                .query((rs, row) -> new Open(rs.getString("id"), rs.getObject("tenant_id", UUID.class), rs.getObject("api_key_id", UUID.class),
                        rs.getString("endpoint"), rs.getBoolean("run_sooner"), BatchStatus.of(rs.getString("status")), instant(rs, "expires_at"),
                        instant(rs, "in_progress_at")))
                .list();
    }

    /**
     * Claims the first line of {@code batchId} that has not run and is not running (or whose claim is older than
     * {@code staleBefore}: its gateway died), for running now; once, among all replicas (SKIP LOCKED).
     */
    Optional<Claimed> claim(String batchId, Instant now, Instant staleBefore) {
        String requestId = RequestId.next();
        return jdbc.sql("""
                        UPDATE batch_line l SET status = 'RUNNING', request_id = :request, claimed_at = :now
                        FROM (SELECT batch_id, line_no FROM batch_line
                              WHERE batch_id = :batch AND (status = 'PENDING' OR status = 'RUNNING' AND claimed_at < :stale)
                              ORDER BY line_no LIMIT 1 FOR UPDATE SKIP LOCKED) next
                        WHERE l.batch_id = next.batch_id AND l.line_no = next.line_no
                        RETURNING l.line_no, l.custom_id, l.model, l.body""")
                .param("request", requestId).param("now", Timestamp.from(now)).param("batch", batchId)
                .param("stale", Timestamp.from(staleBefore))
                .query((rs, row) -> new Claimed(batchId, rs.getInt("line_no"), rs.getString("custom_id"), rs.getString("model"),
                        rs.getString("body"), requestId))
                .optional();
    }

    /** Marks when the batch's first line started. */
    void started(String batchId, Instant now) {
        jdbc.sql("UPDATE batch SET in_progress_at = ? WHERE id = ? AND in_progress_at IS NULL").params(Timestamp.from(now), batchId).update();
    }

    /** Puts a claimed line back, to run later (no room, a rate limit). */
    void release(Claimed line) {
        jdbc.sql("UPDATE batch_line SET status = 'PENDING', request_id = NULL, claimed_at = NULL WHERE batch_id = ? AND line_no = ? AND request_id = ?")
                .params(line.batchId(), line.lineNo(), line.requestId()).update();
    }

    /** Records how a claimed line ended: {@code result} is its line of the output ({@code succeeded}) or error file. */
    void ended(Claimed line, boolean succeeded, String result) {
        jdbc.sql("""
                        UPDATE batch_line SET status = ?, result = ?
                        WHERE batch_id = ? AND line_no = ? AND request_id = ? AND status = 'RUNNING'""")
                .params(succeeded ? "SUCCEEDED" : "FAILED", result, line.batchId(), line.lineNo(), line.requestId()).update();
    }

    /** The lines of a batch whose window closed that never ran, never will. */
    void expire(String batchId) {
        jdbc.sql("UPDATE batch_line SET status = 'EXPIRED' WHERE batch_id = ? AND status = 'PENDING'").param(batchId).update();
    }

    /**
     * Takes the batch into finalizing, once (among replicas), when none of its lines is still to run or running (a
     * running line older than {@code staleBefore} does not count), or again when a finalization started before
     * {@code staleBefore} never ended (its gateway died). False when it is not time yet or another replica does it.
     */
    boolean finalizing(String batchId, Instant now, Instant staleBefore) {
        return jdbc.sql("""
                        UPDATE batch b SET status = 'finalizing', finalizing_at = :now
                        WHERE b.id = :batch AND (b.status IN ('in_progress', 'cancelling') OR b.status = 'finalizing' AND b.finalizing_at < :stale)
                          AND NOT EXISTS (SELECT 1 FROM batch_line l WHERE l.batch_id = b.id
                                          AND (l.status = 'PENDING' OR l.status = 'RUNNING' AND l.claimed_at >= :stale))""")
                .param("now", Timestamp.from(now)).param("batch", batchId).param("stale", Timestamp.from(staleBefore))
                .update() == 1;
    }

    /** Up to {@code limit} ended lines of a batch after line {@code afterLine}, in file order. */
    List<Ended> endedLines(String batchId, int afterLine, int limit) {
        return jdbc.sql("""
                        SELECT line_no, custom_id, status, result FROM batch_line
                        WHERE batch_id = ? AND line_no > ? AND status IN ('SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'RUNNING')
                        ORDER BY line_no LIMIT ?""")
                .params(batchId, afterLine, limit)
                .query((rs, row) -> new Ended(rs.getInt("line_no"), rs.getString("custom_id"), rs.getString("status"), rs.getString("result")))
                .list();
    }

    /** What a finalizing batch ends as: cancelled when it was cancelled, expired when lines expired, else completed. */
    BatchStatus outcome(String batchId) {
        return jdbc.sql("""
                        SELECT CASE WHEN b.cancelling_at IS NOT NULL THEN 'cancelled'
                                    WHEN EXISTS (SELECT 1 FROM batch_line l WHERE l.batch_id = b.id AND l.status = 'EXPIRED') THEN 'expired'
                                    ELSE 'completed' END
                        FROM batch b WHERE b.id = ?""")
                .param(batchId).query(String.class).optional().map(BatchStatus::of).orElseThrow();
    }

    /** Ends a finalizing batch as {@code outcome} with its files. */
    void finished(String batchId, BatchStatus outcome, String outputFileId, String errorFileId, Instant now) {
        String column = switch (outcome) {
            case COMPLETED -> "completed_at";
            case EXPIRED -> "expired_at";
            case CANCELLED -> "cancelled_at";
            default -> throw new IllegalArgumentException("a batch does not finish as " + outcome);
        };
        jdbc.sql("UPDATE batch SET status = ?, output_file_id = ?, error_file_id = ?, " + column + " = ? WHERE id = ? AND status = 'finalizing'")
                .params(outcome.wire(), outputFileId, errorFileId, Timestamp.from(now), batchId).update();
    }

    static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private Batch batch(ResultSet rs, int row) throws SQLException {
        String metadata = rs.getString("metadata");
        String errors = rs.getString("errors");
        return new Batch(rs.getString("id"), "batch", rs.getString("endpoint"),
                errors == null ? null : json.readValue(errors, Batch.Errors.class),
                rs.getString("input_file_id"), rs.getString("completion_window"), rs.getString("status"),
                rs.getString("output_file_id"), rs.getString("error_file_id"), rs.getTimestamp("created_at").toInstant().getEpochSecond(),
                seconds(rs, "in_progress_at"), seconds(rs, "expires_at"), seconds(rs, "finalizing_at"), seconds(rs, "completed_at"),
                seconds(rs, "failed_at"), seconds(rs, "expired_at"), seconds(rs, "cancelling_at"), seconds(rs, "cancelled_at"),
                new Batch.RequestCounts(rs.getLong("total"), rs.getLong("completed"), rs.getLong("failed")),
                metadata == null ? null : json.readValue(metadata, METADATA),
                rs.getBoolean("run_sooner") ? Batch.SCHEDULE_ASAP : Batch.SCHEDULE_OFF_PEAK);
    }

    private static Long seconds(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant().getEpochSecond();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
