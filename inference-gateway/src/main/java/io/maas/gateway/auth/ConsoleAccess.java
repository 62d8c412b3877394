package io.maas.gateway.auth;

import io.maas.api.engine.EngineSecret;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code platform.gateway.console.*}: the web console's read access to this gateway's own view
 * ({@value #PATH_PREFIX}…: the engines it routes to, a tenant's per-minute counters). The console
 * sends {@code secret} as {@code Authorization: Bearer <secret>} (the same kind of shared secret as
 * the engines', {@code PLATFORM_GATEWAY_CONSOLE_SECRET} here and {@code PLATFORM_CONSOLE_GATEWAY_SECRET}
 * on the console), compared in constant time and never logged. Without a secret these paths do not
 * exist (404). Nothing there changes state, and a tenant's data is asked for by its id: the console
 * asks only for the signed-in person's own tenant.
 */
@ConfigurationProperties("platform.gateway.console")
public record ConsoleAccess(EngineSecret secret) {

    public static final String PATH_PREFIX = "/console/";

    public ConsoleAccess {
        secret = secret == null ? EngineSecret.NONE : secret;
    }
}
