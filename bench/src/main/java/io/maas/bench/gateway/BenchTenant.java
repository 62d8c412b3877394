package io.maas.bench.gateway;

import io.maas.api.keys.ApiKeySecret;
import io.maas.bench.BenchDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;

/**
 * A tenant of a gateway benchmark with one API key, its own price book for the benchmark's model, and, when
 * {@code guarded}, every guarantee on: prepaid with a balance, RPM, TPM and concurrency limits on tenant and key
 * (high enough that nothing is refused), a monthly spend limit.
 */
record BenchTenant(UUID id, String apiKey, String what) {

    static BenchTenant create(BenchDatabase db, String model, boolean guarded) throws SQLException {
        UUID tenant = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        String secret = ApiKeySecret.generate();
        String book = "{\"version\":\"v1\",\"effectiveFrom\":\"2020-01-01T00:00:00Z\",\"models\":{\"" + model
                + "\":{\"cacheHit\":\"0.5\",\"cacheMiss\":\"2\",\"output\":\"8\",\"currency\":\"CNY\"}},\"schedule\":{\"timezone\":\"UTC\","
                + "\"defaultTier\":\"standard\",\"tiers\":[{\"name\":\"standard\",\"pricing\":{\"multiplier\":\"1\"}}]}}";
        try (Connection c = connect(db)) {
            update(c, "INSERT INTO tenant (id, name, billing_mode) VALUES (?, ?, ?)", tenant, "bench-" + tenant,
                    guarded ? "PREPAID" : "POSTPAID");
            update(c, "INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'bench', ?, ?)",
                    key, tenant, ApiKeySecret.prefix(secret), ApiKeySecret.hash(secret));
            UUID bookId = UUID.randomUUID();
            update(c, "INSERT INTO price_book (id, name) VALUES (?, ?)", bookId, "bench-" + bookId);
            update(c, "INSERT INTO price_book_version (book_id, seq, version, effective_from, document) "
                    + "VALUES (?, 1, 'v1', '2020-01-01T00:00:00Z', ?::jsonb)", bookId, book);
            update(c, "UPDATE tenant SET price_book_id = ? WHERE id = ?", bookId, tenant);
            if (guarded) {
                update(c, "INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) "
                        + "VALUES (?, ?, 'TOP_UP', 'CNY', 1000000000, 'bench')", UUID.randomUUID(), tenant);
                for (UUID scopeKey : Arrays.asList(null, key)) {
                    update(c, "INSERT INTO limit_policy (tenant_id, api_key_id, requests_per_minute, tokens_per_minute, "
                            + "max_concurrent_requests) VALUES (?, ?, 1000000000, 1000000000000, 1000000)", tenant, scopeKey);
                }
                update(c, "UPDATE limit_policy SET monthly_spend_limit = 1000000000, monthly_spend_currency = 'CNY' "
                        + "WHERE tenant_id = ? AND api_key_id IS NULL", tenant);
            }
        }
        return new BenchTenant(tenant, secret, guarded
                ? "prepaid, RPM + TPM + concurrency on tenant and key, monthly spend limit"
                : "postpaid, no limits");
    }

    /** How many usage records the tenant has. */
    long records(BenchDatabase db) throws SQLException {
        try (Connection c = connect(db);
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM usage_record WHERE tenant_id = ?")) {
            st.setObject(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Usage records vs priced ledger entries vs roll-up vs reservations left, of {@code tenants}. */
    static String ledgerCheck(BenchDatabase db, BenchTenant... tenants) throws SQLException, InterruptedException {
        UUID[] ids = Arrays.stream(tenants).map(BenchTenant::id).toArray(UUID[]::new);
        long waited = waitForNoReservations(db, ids, 10_000);
        try (Connection c = connect(db);
             PreparedStatement st = c.prepareStatement("""
                     SELECT (SELECT count(*) FROM usage_record WHERE tenant_id = ANY(?)),
                            (SELECT count(*) FROM usage_ledger WHERE tenant_id = ANY(?) AND tier <> 'unpriced'),
                            (SELECT COALESCE(sum(requests), 0) FROM usage_daily WHERE tenant_id = ANY(?)),
                            (SELECT count(*) FROM admission_reservation WHERE tenant_id = ANY(?))""")) {
            for (int i = 1; i <= 4; i++) {
                st.setArray(i, c.createArrayOf("uuid", ids));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return ("%d usage records, %d priced ledger entries, %d requests in the daily roll-up, %d reservations left %.1f s "
                        + "after the load (idle blocks go back within 2–3 s)")
                        .formatted(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), waited / 1000.0);
            }
        }
    }

    /** Waits up to {@code maxMillis} until the tenants hold no reservation (their gateways' blocks went back); the time waited. */
    private static long waitForNoReservations(BenchDatabase db, UUID[] ids, long maxMillis) throws SQLException, InterruptedException {
        long start = System.currentTimeMillis();
        try (Connection c = connect(db);
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM admission_reservation WHERE tenant_id = ANY(?)")) {
            st.setArray(1, c.createArrayOf("uuid", ids));
            while (System.currentTimeMillis() - start < maxMillis) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(250);
            }
        }
        return System.currentTimeMillis() - start;
    }

    private static Connection connect(BenchDatabase db) throws SQLException {
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }
}
