package io.maas.engine.runtime;

import io.maas.api.engine.EngineSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.engine.*}. With no configuration at all the adapter generates the demo model into
 * {@code cacheDir} and serves it with llama.cpp.
 *
 * @param runtime          which engine runs the model: {@code llamacpp} (in-process, CPU), {@code external}
 *                         (a supervised vLLM / vllm-ascend / MindIE / vLLM-Kunlun / llama-server process,
 *                         {@code platform.engine.external.*}) or {@code simulated} ({@code platform.engine.simulated.*})
 * @param modelPath        a GGUF file; empty means the generated demo model
 * @param servedModelName  the name clients use; empty means {@code demo-moe} for the demo model, else the file name
 *                         without {@code .gguf} (llamacpp), {@code simulated} (simulated); required for external
 * @param cacheDir         where the demo model is written; empty means {@code ~/.cache/maas}
 * @param contextSize      llama.cpp's total context, shared by the slots; 0 means the model's trained length
 * @param parallel         requests generated at once (slots); more wait for a free slot
 * @param threads          llama.cpp CPU threads; on small machines 1 is fastest, as the JVM needs the other cores
 * @param defaultMaxTokens output limit when a request sets none (capped by what is left of the context); the external
 *                         runtime sends it to the engine process, which would otherwise generate up to the context
 * @param nativeLog        let llama.cpp log to stderr (noisy: several lines per request)
 * @param banByteTokens    never sample byte-fallback tokens (always on for the demo model)
 * @param drainGrace       on shutdown, how long requests in flight may take to finish while new ones get 503
 * @param secret           the secret the gateway sends ({@code PLATFORM_ENGINE_SECRET}); every call but {@code /health}
 *                         must carry it. Unset, the adapter only starts bound to a loopback address
 */
@Validated
@ConfigurationProperties("platform.engine")
public record EngineProperties(
        @DefaultValue("llamacpp") @NotBlank String runtime,
        @DefaultValue("") String modelPath,
        @DefaultValue("") String servedModelName,
        @DefaultValue("") String cacheDir,
        @DefaultValue("4096") @Min(0) int contextSize,
        @DefaultValue("2") @Min(1) @Max(64) int parallel,
        @DefaultValue("1") @Min(1) @Max(512) int threads,
        @DefaultValue("256") @Min(1) int defaultMaxTokens,
        @DefaultValue("false") boolean nativeLog,
        @DefaultValue("false") boolean banByteTokens,
        @DefaultValue("30s") @NotNull Duration drainGrace,
        @DefaultValue @Valid @NotNull Receipts receipts,
        EngineSecret secret) {

    public EngineProperties {
        secret = secret == null ? EngineSecret.NONE : secret;
    }

    /**
     * @param maxEntries receipts kept at most; the oldest go first
     * @param ttl        how long a finished request's receipt is kept: longer than the gateway's request deadline plus its
     *                   journal sweep, so that a request whose gateway died is still billed from it
     * @param maxWait    the longest {@code waitMs} a caller may ask for
     */
    public record Receipts(
            @DefaultValue("100000") @Min(1) int maxEntries,
            @DefaultValue("1h") @NotNull Duration ttl,
            @DefaultValue("60s") @NotNull Duration maxWait) {
    }
}
