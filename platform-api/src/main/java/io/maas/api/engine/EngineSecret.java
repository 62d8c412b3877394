package io.maas.api.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The secret a gateway shares with the engine adapters it calls, sent on every call as
 * {@code Authorization: Bearer <secret>} (the header vLLM's {@code --api-key} checks, so the same
 * secret also guards an engine a gateway reaches directly). The adapter admits a call only when the
 * header carries it; {@code /health} stays open for probes.
 *
 * <p>The secret comes from the environment ({@code PLATFORM_ENGINE_SECRET} on the adapter,
 * {@code PLATFORM_GATEWAY_ENGINE_SECRET} on the gateway) and is never printed: {@link #toString()}
 * says only whether one is set, so a logged or bound configuration does not reveal it. Comparison is
 * constant-time over SHA-256 digests, so neither the content nor the length leaks through timing.
 */
public final class EngineSecret {

    public static final String HEADER = "Authorization";
    /** Shorter secrets are refused by the adapter at start-up. */
    public static final int MIN_LENGTH = 16;
    public static final EngineSecret NONE = new EngineSecret("");

    private static final String SCHEME = "Bearer ";

    private final String value;
    private final byte[] expected;

    private EngineSecret(String value) {
        this.value = value;
        this.expected = digest(SCHEME + value);
    }

    /** The secret {@code value}; blank or null means none. Never fails, so a binding error cannot echo it. */
    public static EngineSecret of(String value) {
        return value == null || value.isBlank() ? NONE : new EngineSecret(value.strip());
    }

    public boolean isSet() {
        return !value.isEmpty();
    }

    /** Whether the secret is long enough to guard an engine. */
    public boolean isStrong() {
        return value.length() >= MIN_LENGTH;
    }

    /** The {@value #HEADER} value a caller sends; empty when no secret is set. */
    public Optional<String> authorization() {
        return isSet() ? Optional.of(SCHEME + value) : Optional.empty();
    }

    /** Whether {@code authorizationHeader} (null when absent) carries this secret; false when none is set. */
    public boolean admits(String authorizationHeader) {
        return isSet() && authorizationHeader != null && MessageDigest.isEqual(expected, digest(authorizationHeader));
    }

    /**
     * Puts the secret into a child process's {@code environment} under {@code variable} (an engine adapter
     * started by the platform reads {@code PLATFORM_ENGINE_SECRET}); nothing when none is set. The one way the
     * value leaves this object other than as a header.
     */
    public void exportTo(Map<String, String> environment, String variable) {
        if (isSet()) {
            environment.put(variable, value);
        }
    }

    @Override
    public String toString() {
        return isSet() ? "EngineSecret[set]" : "EngineSecret[none]";
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
