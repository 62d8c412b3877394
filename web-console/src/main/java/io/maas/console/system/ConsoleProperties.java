package io.maas.console.system;

import io.maas.api.engine.EngineSecret;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.console.*}: where the console finds the platform.
 *
 * @param apiUrl         tenant-service, whose {@code /api/v1} is the only source of the console's data
 * @param gatewayUrl     the inference gateway, which the playground streams from
 * @param requestTimeout how long one call to either may take
 * @param gatewaySecret  the gateway's {@code platform.gateway.console.secret}, for its read-only view of the engines (Fleet)
 *                       and of a tenant's per-minute counters (Usage); without it those parts say they are not available
 */
@Validated
@ConfigurationProperties("platform.console")
public record ConsoleProperties(@NotNull @DefaultValue("http://127.0.0.1:8081") URI apiUrl,
                                @NotNull @DefaultValue("http://127.0.0.1:8080") URI gatewayUrl,
                                @NotNull @DefaultValue("30s") Duration requestTimeout,
                                EngineSecret gatewaySecret) {

    public ConsoleProperties {
        gatewaySecret = gatewaySecret == null ? EngineSecret.NONE : gatewaySecret;
    }
}
