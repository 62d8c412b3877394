package io.maas.gateway.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads keys by their hash; the gateway never sees a stored plaintext because there is none. */
@Repository
class ApiKeyStore {

    /** A key row joined with its tenant's status. */
    record StoredKey(UUID id, UUID tenantId, String prefix, String tenantStatus, Instant expiresAt, Instant revokedAt) {
    }

    private final JdbcClient jdbc;

    ApiKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredKey> findByHash(byte[] hash) {
        return jdbc.sql("""
                        SELECT k.id, k.tenant_id, k.prefix, t.status AS tenant_status, k.expires_at, k.revoked_at
                        FROM api_key k JOIN tenant t ON t.id = k.tenant_id
                        WHERE k.secret_hash = ?""")
                .param(hash)
                .query(StoredKey.class)
                .optional();
    }

    void touch(UUID keyId, Instant usedAt) {
        jdbc.sql("UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
                .param(java.sql.Timestamp.from(usedAt)).param(keyId).param(java.sql.Timestamp.from(usedAt))
                .update();
    }
}
