package io.maas.gateway.files;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tenants' files: bytes in the {@link FileStore}, description in {@code batch_file}. A tenant sees only its own
 * files; another tenant's id is answered as unknown (404), never as forbidden. The bytes are stored before the row is
 * written and removed after it is deleted, so a row always has its bytes (a crash in between leaves at most bytes
 * without a row, which nobody can reach).
 */
@Component
public class StoredFiles {

    private static final Logger log = LoggerFactory.getLogger(StoredFiles.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final FileStore store;
    private final Clock clock;

    StoredFiles(JdbcClient jdbc, FileStore store, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.clock = clock;
    }

    /** Stores {@code content} as a new file of {@code tenant}. */
    public StoredFile create(UUID tenant, String purpose, String filename, InputStream content) {
        String id = "file-" + HexFormat.of().formatHex(randomBytes());
        long bytes;
        try {
            bytes = store.put(id, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store file " + id, e);
        }
        var file = new StoredFile(id, tenant, purpose, filename, bytes, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        jdbc.sql("INSERT INTO batch_file (id, tenant_id, purpose, filename, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(file.id(), tenant, purpose, filename, bytes, Timestamp.from(file.createdAt())).update();
        return file;
    }

    /** {@code tenant}'s file {@code id}, or 404 as OpenAI answers it. */
    public StoredFile get(UUID tenant, String id) {
        return find(tenant, id).orElseThrow(() -> new ApiException(ApiError.NOT_FOUND, "No such File object: " + id, "file_id"));
    }

    Optional<StoredFile> find(UUID tenant, String id) {
        return jdbc.sql("SELECT * FROM batch_file WHERE id = ? AND tenant_id = ?").params(id, tenant).query(StoredFiles::file).optional();
    }

    /** The bytes of {@code file}. */
    public InputStream open(StoredFile file) {
        try {
            return store.open(file.id());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read file " + file.id(), e);
        }
    }

    /**
     * Up to {@code limit} + 1 of {@code tenant}'s files, newest first, after the file {@code after} (null: from the
     * newest), of {@code purpose} (null: any): the one more tells whether there is a next page.
     */
    List<StoredFile> list(UUID tenant, String purpose, String after, int limit) {
        return jdbc.sql("""
                        SELECT * FROM batch_file f
                        WHERE f.tenant_id = :tenant AND (CAST(:purpose AS text) IS NULL OR f.purpose = :purpose)
                          AND (CAST(:after AS text) IS NULL OR f.seq < (SELECT a.seq FROM batch_file a WHERE a.id = :after AND a.tenant_id = :tenant))
                        ORDER BY f.seq DESC LIMIT :limit""")
                .param("tenant", tenant).param("purpose", purpose).param("after", after).param("limit", limit + 1)
                .query(StoredFiles::file).list();
    }

    /** Deletes {@code tenant}'s file {@code id} (404 when it has none); batches that read it keep their copy of its lines. */
    void delete(UUID tenant, String id) {
        if (jdbc.sql("DELETE FROM batch_file WHERE id = ? AND tenant_id = ?").params(id, tenant).update() == 0) {
            throw new ApiException(ApiError.NOT_FOUND, "No such File object: " + id, "file_id");
        }
        try {
            store.delete(id);
        } catch (IOException e) {
            log.warn("File {} is deleted but its bytes could not be removed from the store: {}", id, e.getMessage());
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static StoredFile file(ResultSet rs, int row) throws SQLException {
        return new StoredFile(rs.getString("id"), rs.getObject("tenant_id", UUID.class), rs.getString("purpose"),
                rs.getString("filename"), rs.getLong("bytes"), rs.getTimestamp("created_at").toInstant());
    }
}
