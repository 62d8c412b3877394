package io.maas.tenant.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key as lists show it: the visible prefix, never the secret.
 *
 * @param allowedModels the models the key may call; null: every model
 * @param status        ACTIVE, REVOKED or EXPIRED, now
 */
record ApiKeyView(UUID id, UUID tenantId, String name, String prefix, UUID ownerId, Instant createdAt,
                  Instant lastUsedAt, Instant expiresAt, Instant revokedAt, List<String> allowedModels, String status) {

    static ApiKeyView of(ApiKey key, Instant now) {
        String[] models = key.allowedModels();
        String status = key.revokedAt() != null ? "REVOKED"
                : key.expiresAt() != null && !key.expiresAt().isAfter(now) ? "EXPIRED" : "ACTIVE";
        return new ApiKeyView(key.id(), key.tenantId(), key.name(), key.prefix(), key.ownerId(), key.createdAt(),
                key.lastUsedAt(), key.expiresAt(), key.revokedAt(), models == null ? null : List.of(models), status);
    }
}
