package io.maas.gateway.auth;

import java.util.Set;
import java.util.UUID;

/**
 * The API key a request was authenticated with; {@code prefix} is the only part of it that may be logged.
 *
 * @param allowedModels the models this key may call; null: every model the gateway routes
 */
public record CallerKey(UUID keyId, UUID tenantId, String prefix, Set<String> allowedModels) {

    static final String ATTRIBUTE = CallerKey.class.getName();

    public CallerKey {
        allowedModels = allowedModels == null ? null : Set.copyOf(allowedModels);
    }

    /** Whether this key may call {@code model}. */
    public boolean mayUse(String model) {
        return allowedModels == null || allowedModels.contains(model);
    }
}
