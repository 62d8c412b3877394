package io.maas.gateway;

import io.maas.api.engine.EngineSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.gateway.*}. The defaults run the embedded platform: one model, {@code demo-moe},
 * served by the engine adapter on {@code http://127.0.0.1:8090}.
 *
 * @param models the models tenants may call and the engine endpoints that serve each
 * @param maxRequestSize a larger request body is refused with 413
 * @param maxBodyBytesInFlight the request bodies the gateway holds at once, together; past it a request is refused with
 *                             503 before its body is read
 * @param keyCacheTtl how long a looked-up API key (or the absence of one) is trusted; a revoked key stops working after this
 * @param lastGoodFor while PostgreSQL cannot be asked, keys and limits looked up less than this long ago are still
 *                    served from the last good lookup (their usage waits in the spool); older ones are refused with 503
 * @param engineConnectTimeout connecting to an engine; past it the next endpoint is tried
 * @param engineKeepAlive a connection to an engine idle for longer is closed rather than reused: below the engines' own
 *                        keep-alive (uvicorn, under vLLM: 5 s)
 * @param engineResponseTimeout until an engine starts answering (it may queue the request); never past the request deadline
 * @param engineIdleTimeout a streamed answer during which the engine sends nothing for this long is cut off and billed
 *                          for what the engine did (its receipt)
 * @param requestDeadline no request runs longer: then the engine call is cut off and billed for what the engine did.
 *                        It may exceed the admission lease: a running request's holds are renewed up to this deadline
 *                        (plus the receipt wait)
 * @param receiptWait after a client disconnect, how long to wait for the engine's final token count
 * @param journalSweepInterval how often each replica looks for journalled requests of a gateway that died, to bill them
 * @param usageSpoolDir where usage records wait while PostgreSQL cannot take them; must outlive the process
 * @param engineSecret sent to every engine adapter ({@code PLATFORM_GATEWAY_ENGINE_SECRET}, the adapters' {@code PLATFORM_ENGINE_SECRET})
 * @param usageSpoolMaxSize the most the spool holds; a record beyond it is logged in full at error level instead
 */
@Validated
@ConfigurationProperties("platform.gateway")
public record GatewayProperties(
        @DefaultValue @NotEmpty List<@Valid ModelRoute> models,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("128MB") DataSize maxBodyBytesInFlight,
        @DefaultValue("3s") Duration keyCacheTtl,
        @DefaultValue("5m") Duration lastGoodFor,
        @DefaultValue("2s") Duration engineConnectTimeout,
        @DefaultValue("2s") Duration engineKeepAlive,
        @DefaultValue("10m") Duration engineResponseTimeout,
        @DefaultValue("60s") Duration engineIdleTimeout,
        @DefaultValue("20m") Duration requestDeadline,
        @DefaultValue("3s") Duration receiptWait,
        @DefaultValue("30s") Duration journalSweepInterval,
        @DefaultValue("usage-spool") Path usageSpoolDir,
        @DefaultValue("1GB") DataSize usageSpoolMaxSize,
        EngineSecret engineSecret) {

    public GatewayProperties {
        engineSecret = engineSecret == null ? EngineSecret.NONE : engineSecret;
        if (models.isEmpty()) {
            models = List.of(new ModelRoute("demo-moe", List.of(URI.create("http://127.0.0.1:8090")), "maas"));
        }
    }

    /** A model name as tenants call it, and the engine adapters that serve it under the same name. */
    public record ModelRoute(@NotBlank String name, @NotEmpty List<URI> endpoints, @DefaultValue("maas") String ownedBy) {
    }
}
