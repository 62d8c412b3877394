package io.maas.engine.external;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.engine.external.*}, read when {@code platform.engine.runtime=external}: an
 * OpenAI-compatible engine process (vLLM, vllm-ascend, MindIE, vLLM-Kunlun, llama-server) that the
 * adapter starts, watches, restarts and stops, and relays requests to on {@code 127.0.0.1:port}.
 *
 * @param command           the engine's argv, program first (no shell); empty means: built by the accelerator
 *                          provider from {@code launch}
 * @param launch            the deployment the provider builds the command for, when {@code command} is empty
 * @param environment       variables added to the engine's environment (they win over the provider's)
 * @param port              where the engine listens, on 127.0.0.1
 * @param readinessPath     answers 200 once the engine serves: vLLM and llama-server {@code /health}; set it for MindIE
 * @param metricsPath       the engine's Prometheus metrics, passed through to {@code /engine/status} when they carry
 *                          vLLM's names; empty means the adapter's own counts only
 * @param startTimeout      how long a start may take until ready (weights loading); then the process is stopped and restarted
 * @param connectTimeout    connecting to the engine for a request
 * @param responseTimeout   until the engine starts answering a request
 * @param restart           back-off between restarts
 * @param stopTimeout       after SIGTERM, how long the engine may take to end before SIGKILL
 * @param log               where the engine's output goes besides the adapter's log
 * @param parentDeathSignal start the engine under {@code setpriv --pdeathsig KILL} (when installed) so that the kernel
 *                          kills it if the adapter dies without stopping it
 */
@Validated
@ConfigurationProperties("platform.engine.external")
public record ExternalProperties(
        @DefaultValue List<String> command,
        @DefaultValue @Valid @NotNull Launch launch,
        @DefaultValue Map<String, String> environment,
        @DefaultValue("8000") @Min(1) @Max(65535) int port,
        @DefaultValue("/health") @NotBlank String readinessPath,
        @DefaultValue("/metrics") String metricsPath,
        @DefaultValue("10m") @NotNull Duration startTimeout,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("10m") @NotNull Duration responseTimeout,
        @DefaultValue @Valid @NotNull Restart restart,
        @DefaultValue("20s") @NotNull Duration stopTimeout,
        @DefaultValue @Valid @NotNull Log log,
        @DefaultValue("true") boolean parentDeathSignal) {

    /**
     * A deployment in the accelerator SPI's terms ({@link io.maas.api.accelerator.EngineLaunchSpec}); the
     * served model name is {@code platform.engine.served-model-name}.
     *
     * @param vendor             the accelerator provider: {@code nvidia}, {@code ascend}, {@code kunlun} or {@code cpu}
     * @param engine             one of the provider's engines ({@code vllm}, {@code vllm-ascend}, {@code mindie}, …);
     *                           empty means its default
     * @param modelPath          weights directory, or GGUF file for llama.cpp
     * @param quantization       {@code fp8}, {@code w8a8}, {@code w4a16}, {@code bf16}, …; empty means as the checkpoint says
     * @param maxModelLen        longest sequence in tokens; 0 means the model's own
     * @param devices            device indexes for the visible-devices variable; empty means all
     * @param configFile         the engine's own configuration file (MindIE)
     * @param extraArgs          further engine arguments, last so that they win
     */
    public record Launch(
            @DefaultValue("") String vendor,
            @DefaultValue("") String engine,
            @DefaultValue("") String modelPath,
            @DefaultValue("1") @Min(1) int tensorParallelSize,
            @DefaultValue("1") @Min(1) int dataParallelSize,
            @DefaultValue("1") @Min(1) int expertParallelSize,
            @DefaultValue("") String quantization,
            @DefaultValue("0") @Min(0) int maxModelLen,
            @DefaultValue List<Integer> devices,
            @DefaultValue("") String configFile,
            @DefaultValue List<String> extraArgs) {
    }

    /**
     * Exponential back-off: {@code initial}, then times {@code multiplier} per failed start up to
     * {@code max}; back to {@code initial} once a start stayed ready for {@code stableAfter}.
     */
    public record Restart(
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("1m") @NotNull Duration maxBackoff,
            @DefaultValue("2") @DecimalMin("1") double multiplier,
            @DefaultValue("1m") @NotNull Duration stableAfter) {
    }

    /**
     * @param file     a file the engine's output is also written to, rolled at {@code maxSize}; empty means none
     * @param maxSize  size at which the file is rolled over
     * @param maxFiles rolled files kept ({@code file.1} … {@code file.N})
     */
    public record Log(
            @DefaultValue("") String file,
            @DefaultValue("10MB") @NotNull DataSize maxSize,
            @DefaultValue("3") @Min(1) int maxFiles) {
    }
}
