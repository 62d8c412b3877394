package io.maas.systemtests;

import io.maas.db.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads the usage records the gateway wrote, straight from PostgreSQL. */
final class UsageRecords {

    /** The columns a bill is made of. */
    record Row(String outcome, boolean stream, long promptTokens, long cacheHitTokens, long cacheMissTokens,
               long completionTokens, String model) {
    }

    private UsageRecords() {
    }

    static Optional<Row> find(String requestId) {
        try (Connection db = TestDatabase.get().connect();
             PreparedStatement st = db.prepareStatement("SELECT * FROM usage_record WHERE request_id = ?")) {
            st.setString(1, requestId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(rs.getString("outcome"), rs.getBoolean("stream"), rs.getLong("prompt_tokens"),
                        rs.getLong("prompt_cache_hit_tokens"), rs.getLong("prompt_cache_miss_tokens"),
                        rs.getLong("completion_tokens"), rs.getString("model")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record of {@code requestId}, waiting up to 10 s for it (a cancelled request settles after the client left). */
    static Row await(String requestId) {
        for (int i = 0; i < 100; i++) {
            Optional<Row> row = find(requestId);
            if (row.isPresent()) {
                return row.get();
            }
            Platform.sleep(100);
        }
        throw new AssertionError("no usage record for request " + requestId);
    }
}
