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
            tenantWithKeys(st, tenant, key);
            String insert = "INSERT INTO usage_record VALUES ('req-1', '" + tenant + "', '" + key + "', 'm', 'e', true,"
                    + " 10, 4, 6, 5, 0, now(), now(), 'COMPLETED') ON CONFLICT (request_id) DO NOTHING";

            assertThat(st.executeUpdate(insert)).isEqualTo(1);
            assertThat(st.executeUpdate(insert)).isZero();
        }
    }

    @Test
    void promptTokensMustBeHitsPlusMisses() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            tenantWithKeys(st, TENANT, KEY);

            assertThatThrownBy(() -> st.execute("INSERT INTO usage_record VALUES ('req-x', '" + TENANT + "', '" + KEY
                    + "', 'm', 'e', true, 10, 4, 5, 5, 0, now(), now(), 'COMPLETED')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
        }
    }

    @Test
    void aTenantOrKeyWithUsageCannotBeDeletedOrRenumberedAndOneWithoutCan() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            UUID tenant = UUID.randomUUID();
            UUID used = UUID.randomUUID();
            UUID unused = UUID.randomUUID();
            tenantWithKeys(st, tenant, used, unused);
            st.execute("INSERT INTO usage_record VALUES ('req-guard-" + tenant + "', '" + tenant + "', '" + used + "', 'm', 'e', true,"
                    + " 10, 4, 6, 5, 0, now(), now(), 'COMPLETED')");

            assertThat(sqlState(st, "DELETE FROM api_key WHERE id = '" + used + "'")).isEqualTo("23503");
            assertThat(sqlState(st, "UPDATE api_key SET id = gen_random_uuid() WHERE id = '" + used + "'")).isEqualTo("23503");
            assertThat(sqlState(st, "DELETE FROM tenant WHERE id = '" + tenant + "'")).isEqualTo("23503");
            assertThat(st.executeUpdate("UPDATE api_key SET id = id, name = 'renamed' WHERE id = '" + used + "'")).isOne();
            assertThat(st.executeUpdate("DELETE FROM api_key WHERE id = '" + unused + "'")).isOne();
            assertThat(single(st, "SELECT count(*) FROM usage_record WHERE api_key_id = '" + used + "'")).isEqualTo("1");
        }
    }

    @Test
    void aUsageRecordHasNoIndexButItsPrimaryKey() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            assertThat(single(st, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'usage_record'"))
                    .isEqualTo("usage_record_pkey");
        }
    }

    @Test
    void thePriceBookInForceIsTheTenantsElseThePlatformDefault() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            UUID own = UUID.randomUUID();
            UUID withBook = UUID.randomUUID();
            UUID without = UUID.randomUUID();
            st.execute("INSERT INTO price_book (id, name) VALUES ('" + own + "', 'own-" + own + "')");
            st.execute("INSERT INTO tenant (id, name, price_book_id) VALUES ('" + withBook + "', 't-" + withBook + "', '" + own + "')");
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + without + "', 't-" + without + "')");

            assertThat(single(st, "SELECT price_book_in_force('" + withBook + "')")).isEqualTo(own.toString());
            assertThat(single(st, "SELECT price_book_in_force('" + without + "')"))
                    .isEqualTo(single(st, "SELECT (SELECT id FROM price_book WHERE platform_default)"));
        }
    }

    @Test
    void balancesAreOneRowPerCurrencyAndCnyAtZeroWithoutAny() throws SQLException {
        try (Connection db = TestDatabase.get().connect(); var st = db.createStatement()) {
            UUID empty = UUID.randomUUID();
            UUID both = UUID.randomUUID();
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + empty + "', 't-" + empty + "'), ('" + both + "', 't-" + both + "')");
            st.execute("INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) VALUES"
                    + " (gen_random_uuid(), '" + both + "', 'TOP_UP', 'USD', 5, 't'), (gen_random_uuid(), '" + both + "', 'GRANT', 'CNY', 7, 't')");

            assertThat(balancesToday(st, empty)).isEqualTo("CNY=0/0");
            assertThat(balancesToday(st, both)).isEqualTo("CNY=7/0 USD=0/5");
        }
    }

    /**
     * The tenant's balances through its own billing day, as the gateway and tenant-service ask: the
     * database's {@code current_date} is a day behind a Shanghai tenant's from 16:00 UTC.
     */
    private static String balancesToday(java.sql.Statement st, UUID tenant) throws SQLException {
        return single(st, "SELECT string_agg(currency || '=' || granted || '/' || topped_up, ' ') FROM tenant_balances('"
                + tenant + "', tenant_billing_day('" + tenant + "', now()))");
    }

    /** A tenant with {@code keys}, each key's secret hash the SHA-256 of its id. */
    private static void tenantWithKeys(java.sql.Statement st, UUID tenant, UUID... keys) throws SQLException {
        st.execute("INSERT INTO tenant (id, name) VALUES ('" + tenant + "', 't-" + tenant + "')");
        for (UUID key : keys) {
            st.execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES ('" + key + "', '" + tenant
                    + "', 'k', 'sk-test', sha256(convert_to('" + key + "', 'UTF8')))");
        }
    }

    /** The SQLSTATE {@code sql} fails with. */
    private static String sqlState(java.sql.Statement st, String sql) {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            return e.getSQLState();
        }
        throw new AssertionError("not refused: " + sql);
    }

    private static String single(java.sql.Statement st, String sql) throws SQLException {
        try (var rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
