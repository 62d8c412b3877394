package io.maas.tenant.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant's API key as stored: the secret's SHA-256 and visible prefix, never the secret. */
@Entity
@Table(name = "api_key")
class ApiKey {

    @Id
    private UUID id;
    @Column(name = "tenant_id")
    private UUID tenantId;
    private String name;
    private String prefix;
    @Column(name = "secret_hash")
    private byte[] secretHash;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @Column(name = "owner_id")
    private UUID ownerId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_models")
    private String[] allowedModels;

    protected ApiKey() {
    }

    ApiKey(UUID tenantId, String name, String prefix, byte[] secretHash, Instant createdAt, Instant expiresAt,
           UUID ownerId, String[] allowedModels) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.name = name;
        this.prefix = prefix;
        this.secretHash = secretHash.clone();
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.ownerId = ownerId;
        this.allowedModels = allowedModels == null ? null : allowedModels.clone();
    }

    UUID id() { return id; }
    UUID tenantId() { return tenantId; }
    String name() { return name; }
    String prefix() { return prefix; }
    Instant createdAt() { return createdAt; }
    Instant expiresAt() { return expiresAt; }
    Instant revokedAt() { return revokedAt; }
    Instant lastUsedAt() { return lastUsedAt; }
    UUID ownerId() { return ownerId; }
    String[] allowedModels() { return allowedModels == null ? null : allowedModels.clone(); }

    void revoke(Instant at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }
}
