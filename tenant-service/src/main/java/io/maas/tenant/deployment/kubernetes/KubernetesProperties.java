package io.maas.tenant.deployment.kubernetes;

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
 * {@code platform.deployments.kubernetes.*}: the {@code kubernetes} deployment target. The cluster is
 * the one fabric8 finds (in-cluster service account, else {@code ~/.kube/config} or {@code KUBECONFIG}).
 *
 * @param enabled        registers the {@code kubernetes} provisioner; off by default (the embedded platform runs {@code local})
 * @param namespace      where engine objects are created; the provisioner's Role must be bound there
 * @param serviceAccount the engine pods' service account; their API token is never mounted
 * @param engineSecret   the Secret in {@link #namespace()} whose key {@code ENGINE_SECRET} holds what gateways send
 *                       engine adapters ({@code k8s/generate-secrets} writes it; the adapter refuses to listen beyond
 *                       loopback without it)
 * @param images         the engine image per runtime
 * @param models         the volume that holds model weights
 * @param pods           probes, drain and resources of engine pods
 */
@Validated
@ConfigurationProperties("platform.deployments.kubernetes")
public record KubernetesProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("maas-engines") @NotBlank String namespace,
        @DefaultValue("maas-engine") @NotBlank String serviceAccount,
        @DefaultValue("maas-engine") @NotBlank String engineSecret,
        @DefaultValue @Valid @NotNull Images images,
        @DefaultValue @Valid @NotNull Models models,
        @DefaultValue @Valid @NotNull Pods pods) {

    /**
     * The engine-adapter on top of each engine: the adapter serves {@code /health}, {@code /v1/*} and receipts
     * on port 8090 and supervises the engine process the provider's launch command starts.
     *
     * @param vllm          vLLM with CUDA (NVIDIA)
     * @param vllmAscend    vllm-ascend with CANN
     * @param mindie        MindIE with CANN
     * @param vllmKunlun    vLLM-Kunlun with the XPU runtime
     * @param adapter       the engine-adapter alone: the {@code llamacpp} and {@code simulated} runtimes
     * @param mindieConfig  MindIE's config.json inside its image (model path, port and world size are set there)
     */
    public record Images(
            @DefaultValue("maas/engine-vllm:0.1.0") @NotBlank String vllm,
            @DefaultValue("maas/engine-vllm-ascend:0.1.0") @NotBlank String vllmAscend,
            @DefaultValue("maas/engine-mindie:0.1.0") @NotBlank String mindie,
            @DefaultValue("maas/engine-vllm-kunlun:0.1.0") @NotBlank String vllmKunlun,
            @DefaultValue("maas/engine-adapter:0.1.0") @NotBlank String adapter,
            @DefaultValue("/usr/local/Ascend/mindie/latest/mindie-service/conf/config.json") @NotBlank String mindieConfig) {

        /** The image for a deployment's runtime. */
        String forRuntime(String runtime) {
            return switch (runtime) {
                case "vllm" -> vllm;
                case "vllm-ascend" -> vllmAscend;
                case "mindie" -> mindie;
                case "vllm-kunlun" -> vllmKunlun;
                case "llamacpp", "simulated" -> adapter;
                default -> throw new IllegalArgumentException("no engine image for runtime \"" + runtime
                        + "\"; use vllm, vllm-ascend, mindie, vllm-kunlun, llamacpp or simulated");
            };
        }
    }

    /**
     * @param claim a PersistentVolumeClaim in {@link #namespace()} with the weights, mounted read-only
     * @param path  where it is mounted; a deployment's weights are a path below it, by default {@code <path>/<catalog id>}
     */
    public record Models(
            @DefaultValue("maas-models") @NotBlank String claim,
            @DefaultValue("/models") @NotBlank String path) {
    }

    /**
     * @param startupTimeout  how long an engine may take to load its weights before it counts as failed: the startup
     *                        probe's budget and the adapter's own start timeout. DeepSeek-R1 is 642 GB in FP8 and
     *                        1.3 TB in BF16; read from network storage and compiled, that takes tens of minutes
     * @param preStopDelay    after a pod is marked for deletion and before SIGTERM, so that gateways see it
     *                        draining and send it nothing new
     * @param drainGrace      after SIGTERM, how long requests in flight may take to finish (long reasoning answers)
     * @param cpu             CPU cores an engine pod requests
     * @param memory          memory an engine pod requests (host memory for loading weights, not device memory)
     * @param sharedMemory    size of {@code /dev/shm} (NCCL/HCCL and the engines' worker processes use it)
     * @param runAsUser       the non-root user engine containers run as
     */
    public record Pods(
            @DefaultValue("60m") @NotNull Duration startupTimeout,
            @DefaultValue("15s") @NotNull Duration preStopDelay,
            @DefaultValue("5m") @NotNull Duration drainGrace,
            @DefaultValue("8") @NotBlank String cpu,
            @DefaultValue("64Gi") @NotBlank String memory,
            @DefaultValue("16Gi") @NotBlank String sharedMemory,
            @DefaultValue("10001") @Min(1) @Max(2147483647) long runAsUser) {
    }
}
