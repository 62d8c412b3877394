package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The test database for gateway tests: wired into a context, rows set up with plain SQL and read back as column → text. */
final class TestRows {

    private TestRows() {
    }

    /** Points a Spring test context at the test database. */
    static void useTestDatabase(DynamicPropertyRegistry registry) {
        TestDatabase db = TestDatabase.get();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
    }

    static void execute(String sql, Object... params) throws SQLException {
        try (Connection db = TestDatabase.get().connect(); PreparedStatement st = prepare(db, sql, params)) {
            st.executeUpdate();
        }
    }

    /** An API key {@code keyId} of {@code tenantId} whose secret is {@code secret}. */
    static void key(UUID keyId, UUID tenantId, String secret) throws SQLException {
        execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', ?, ?)", keyId, tenantId,
                ApiKeySecret.prefix(secret), ApiKeySecret.hash(secret));
    }

    /** The one row {@code sql} selects, as column name → value as text; fails the test when there is none. */
    static Map<String, String> one(String sql, Object... params) throws SQLException {
        try (Connection db = TestDatabase.get().connect(); PreparedStatement st = prepare(db, sql, params);
             ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).as("a row of " + sql + " with " + java.util.Arrays.toString(params)).isTrue();
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
            }
            return row;
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... params) throws SQLException {
        PreparedStatement st = db.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
        return st;
    }
}
