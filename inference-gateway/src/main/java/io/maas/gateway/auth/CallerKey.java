package io.maas.gateway.auth;

import java.util.UUID;

/** The API key a request was authenticated with; {@code prefix} is the only part of it that may be logged. */
public record CallerKey(UUID keyId, UUID tenantId, String prefix) {

    static final String ATTRIBUTE = CallerKey.class.getName();
}
