package io.maas.gateway.auth;

import io.maas.api.tenant.TenantStatus;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads keys by their hash; the gateway never sees a stored plaintext because there is none. */
@Repository
class ApiKeyStore {

    /**
     * A key row joined with its tenant's status; {@code allowedModels} null: every model. A key whose
     * owner was disabled counts as revoked from that instant.
     */
    record StoredKey(UUID id, UUID tenantId, String prefix, TenantStatus tenantStatus, Instant expiresAt, Instant revokedAt,
                     Set<String> allowedModels) {
    }

    private final JdbcClient jdbc;

    ApiKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String SELECT = """
            SELECT k.id, k.tenant_id, k.prefix, t.status AS tenant_status, k.expires_at,
                   LEAST(k.revoked_at, u.disabled_at) AS revoked_at, k.allowed_models
            FROM api_key k JOIN tenant t ON t.id = k.tenant_id LEFT JOIN app_user u ON u.id = k.owner_id
            """;

    Optional<StoredKey> findByHash(byte[] hash) {
        return find("k.secret_hash = ?", hash);
    }

    Optional<StoredKey> findById(UUID id) {
        return find("k.id = ?", id);
    }

    private Optional<StoredKey> find(String where, Object value) {
        return jdbc.sql(SELECT + "WHERE " + where)
                .param(value)
                .query((rs, row) -> new StoredKey(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getString("prefix"), TenantStatus.valueOf(rs.getString("tenant_status")), instant(rs.getTimestamp("expires_at")),
                        instant(rs.getTimestamp("revoked_at")), models(rs.getArray("allowed_models"))))
                .optional();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Set<String> models(Array array) throws SQLException {
        return array == null ? null : Set.of((String[]) array.getArray());
    }

    void touch(UUID keyId, Instant usedAt) {
        jdbc.sql("UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
                .param(java.sql.Timestamp.from(usedAt)).param(keyId).param(java.sql.Timestamp.from(usedAt))
                .update();
    }
}
