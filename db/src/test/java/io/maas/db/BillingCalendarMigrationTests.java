package io.maas.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V11 on data written before it: roll-ups cut at UTC midnight are rebuilt on the tenants' Beijing
 * days, nothing lost; and the calendar functions (V11, V14) across a change of zone and a DST change.
 */
class BillingCalendarMigrationTests {

    private static final UUID TENANT = UUID.randomUUID();
    private static final MigrationVersion V11 = MigrationVersion.fromVersion("11");
    private static TestDatabase database;

    @BeforeAll
    static void migrateOverUtcRollUps() throws SQLException {
        database = TestDatabase.empty();
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).target(versionBefore(V11))
                .load().migrate();
        try (Connection db = database.connect(); var st = db.createStatement()) {
            st.execute("SELECT ensure_ledger_partitions(date '2026-10-01', date '2026-12-01')");
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + TENANT + "', 'before-v11')");
            // As the gateway wrote them before V11: ledger entries and their roll-up on the UTC date.
            ledger(st, "r1", "2026-11-30T15:00:00Z", 100, "0.30");  // Beijing 2026-11-30 23:00
            ledger(st, "r2", "2026-11-30T23:00:00Z", 200, "0.60");  // Beijing 2026-12-01 07:00
            ledger(st, "r3", "2026-10-31T16:30:00Z", 50, "0.15");   // Beijing 2026-11-01 00:30
            rollUp(st, "2026-11-30", 2, 300, "0.90");
            rollUp(st, "2026-10-31", 1, 50, "0.15");
        }
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load().migrate();
    }

    @Test
    void rollUpsAreRecutOnTheTenantsBeijingDaysWithNothingLost() throws SQLException {
        assertThat(rows("SELECT day || ' ' || requests || ' ' || output_tokens || ' ' || amount::text FROM usage_daily"
                + " WHERE tenant_id = '" + TENANT + "' ORDER BY day"))
                .containsExactly("2026-11-01 1 50 0.15", "2026-11-30 1 100 0.30", "2026-12-01 1 200 0.60");
        assertThat(rows("SELECT tenant_billing_zone('" + TENANT + "', now())")).containsExactly("Asia/Shanghai");
    }

    @Test
    void aBeijingMonthStartsAtFourPmUtcOfTheDayBefore() throws SQLException {
        assertThat(rows("SELECT tenant_billing_day('" + TENANT + "', '2026-11-30T23:00:00Z')")).containsExactly("2026-12-01");
        assertThat(rows("SELECT tenant_billing_day('" + TENANT + "', '2026-11-30T15:59:59Z')")).containsExactly("2026-11-30");
        assertThat(rows("SELECT tenant_day_start('" + TENANT + "', '2026-12-01') AT TIME ZONE 'UTC'"))
                .containsExactly("2026-11-30 16:00:00");
    }

    @Test
    void newTenantsTakeThePlatformsZoneOfTheMoment() throws SQLException {
        UUID later = UUID.randomUUID();
        try (Connection db = database.connect(); var st = db.createStatement()) {
            st.execute("UPDATE platform_billing SET default_zone = 'Europe/Berlin'");
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + later + "', 'after-v11')");
            st.execute("UPDATE platform_billing SET default_zone = 'Asia/Shanghai'");
        }
        assertThat(rows("SELECT tenant_billing_zone('" + later + "', now())")).containsExactly("Europe/Berlin");
        // Berlin's day of the spring DST change has 23 hours, autumn's 25.
        assertThat(rows("SELECT tenant_day_start('" + later + "', d) AT TIME ZONE 'UTC' FROM unnest(ARRAY[date '2026-03-29',"
                + " '2026-03-30', '2026-10-25', '2026-10-26']) AS d"))
                .containsExactly("2026-03-28 23:00:00", "2026-03-29 22:00:00", "2026-10-24 22:00:00", "2026-10-25 23:00:00");
    }

    @Test
    void aChangeOfZoneNeitherOverlapsNorGapsTheMonths() throws SQLException {
        UUID west = UUID.randomUUID();
        UUID east = UUID.randomUUID();
        try (Connection db = database.connect(); var st = db.createStatement()) {
            st.execute("INSERT INTO tenant (id, name) VALUES ('" + west + "', 'west'), ('" + east + "', 'east')");
            // Shanghai → UTC from December: the change takes effect when both zones' November ended.
            st.execute("INSERT INTO billing_zone_change (tenant_id, effective_from, zone) VALUES ('" + west
                    + "', '2026-12-01T00:00:00Z', 'UTC')");
            st.execute("UPDATE billing_zone_change SET zone = 'UTC' WHERE tenant_id = '" + east + "'");
            st.execute("INSERT INTO billing_zone_change (tenant_id, effective_from, zone) VALUES ('" + east
                    + "', '2026-12-01T00:00:00Z', 'Asia/Shanghai')");
        }
        // West: December began in Shanghai (16:00 UTC) and runs on in UTC.
        assertThat(rows("SELECT tenant_day_start('" + west + "', '2026-12-01') AT TIME ZONE 'UTC'")).containsExactly("2026-11-30 16:00:00");
        assertThat(rows("SELECT tenant_billing_day('" + west + "', '2026-11-30T20:00:00Z')")).containsExactly("2026-12-01");
        assertThat(rows("SELECT tenant_billing_day('" + west + "', '2026-12-01T20:00:00Z')")).containsExactly("2026-12-01");
        // East: November ran to its UTC end, December starts then, in Shanghai.
        assertThat(rows("SELECT tenant_billing_day('" + east + "', '2026-11-30T23:00:00Z')")).containsExactly("2026-11-30");
        assertThat(rows("SELECT tenant_day_start('" + east + "', '2026-12-01') AT TIME ZONE 'UTC'")).containsExactly("2026-12-01 00:00:00");
        assertThat(rows("SELECT tenant_day_start('" + east + "', '2026-12-02') AT TIME ZONE 'UTC'")).containsExactly("2026-12-01 16:00:00");
        // A batch's span has one zone unless a change takes effect within it (then each record is cut on its own).
        assertThat(rows("SELECT tenant_billing_zone_between('" + west + "', '2026-11-30T10:00:00Z', '2026-11-30T20:00:00Z')"))
                .containsExactly("Asia/Shanghai");
        assertThat(rows("SELECT coalesce(tenant_billing_zone_between('" + west + "', '2026-11-30T20:00:00Z', '2026-12-01T00:00:00Z'),"
                + " 'changes')")).containsExactly("changes");
        assertThat(rows("SELECT tenant_billing_zone_between('" + west + "', '2026-12-01T00:00:00Z', '2026-12-01T20:00:00Z')"))
                .containsExactly("UTC");
    }

    /** The last migration before {@code version}, whichever others exist. */
    private static String versionBefore(MigrationVersion version) {
        return Stream.of(Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password()).load().info().all())
                .map(MigrationInfo::getVersion).filter(v -> version.isNewerThan(v.getVersion()))
                .max(MigrationVersion::compareTo).orElseThrow().getVersion();
    }

    private static void ledger(java.sql.Statement st, String id, String at, long out, String amount) throws SQLException {
        st.execute("INSERT INTO usage_ledger (request_id, occurred_at, tenant_id, api_key_id, model, tier, priced_at, currency,"
                + " cache_hit_tokens, cache_miss_tokens, output_tokens, cache_hit_amount, cache_miss_amount, output_amount, amount)"
                + " VALUES ('" + id + "', '" + at + "', '" + TENANT + "', '" + UUID.randomUUID() + "', 'm', 'standard', '" + at
                + "', 'CNY', 0, 0, " + out + ", 0, 0, " + amount + ", " + amount + ")");
    }

    private static void rollUp(java.sql.Statement st, String day, int requests, long out, String amount) throws SQLException {
        st.execute("INSERT INTO usage_daily VALUES ('" + TENANT + "', '" + day + "', 'm', 'standard', 'CNY', " + requests
                + ", 0, 0, " + out + ", 0, 0, " + amount + ", " + amount + ")");
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection db = database.connect(); var st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
