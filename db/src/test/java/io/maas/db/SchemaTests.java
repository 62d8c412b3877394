package io.maas.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.db.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchemaTests {

    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID KEY = UUID.randomUUID();

    @Test
    void migratedSchemaStoresAUsageRecordOncePerRequest() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            UUID tenant = UUID.randomUUID();
            UUID key = UUID.randomUUID();
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + tenant + "', 't-" + tenant + "')");
            st.execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES ('" + key + "', '"
                    + tenant + "', 'k', 'sk-abc', decode(repeat('ab', 32), 'hex'))");
            String insert = "INSERT INTO usage_record VALUES ('req-1', '" + tenant + "', '" + key + "', 'm', 'e', true,"
                    + " 10, 4, 6, 5, 0, now(), now(), 'COMPLETED') ON CONFLICT (request_id) DO NOTHING";

            assertThat(st.executeUpdate(insert)).isEqualTo(1);
            assertThat(st.executeUpdate(insert)).isZero();
        }
    }

    @Test
    void promptTokensMustBeHitsPlusMisses() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + TENANT + "', 'check-tenant')");
            st.execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES ('" + KEY + "', '"
                    + TENANT + "', 'k', 'sk-def', decode(repeat('cd', 32), 'hex'))");

            assertThatThrownBy(() -> st.execute("INSERT INTO usage_record VALUES ('req-x', '" + TENANT + "', '" + KEY
                    + "', 'm', 'e', true, 10, 4, 5, 5, 0, now(), now(), 'COMPLETED')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
        }
    }
}
