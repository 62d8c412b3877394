package io.maas.tenant.deployment.provision;

import java.util.UUID;

/**
 * What a provisioner is asked to run: a deployment's desired state, as the reconciler read it.
 *
 * @param id                     the deployment's id (names and labels derive from it and {@link #name()})
 * @param name                   a DNS label, unique among live deployments
 * @param generation             bumped on every change of the desired state
 * @param tenantId               the owning tenant; null for a shared deployment
 * @param model                  the catalog id
 * @param servedModelName        the name clients use, given to the engine as its served model name
 * @param weights                a GGUF file or a directory of safetensors the engine loads; null when the
 *                               runtime makes its own (the demo model, the simulated engine) or pulls by name
 * @param runtime                {@code llamacpp}, {@code simulated}, {@code vllm}, {@code vllm-ascend}, {@code mindie}, {@code vllm-kunlun}
 * @param vendor                 accelerator vendor: {@code nvidia}, {@code ascend}, {@code kunlun}, {@code cpu}
 * @param acceleratorType        the fit calculator's accelerator id; null on CPU
 * @param acceleratorsPerReplica devices one replica uses, over all its nodes
 * @param nodesPerReplica        nodes one replica spans (more than 1: a LeaderWorkerSet in Kubernetes)
 * @param tensorParallelSize     from the fit report
 * @param precision              weight precision id ({@code fp8}, {@code bf16}, {@code w8a8}, {@code q4_k_m}, …)
 * @param contextLength          the engine's maximum sequence length
 * @param replicas               how many replicas should run
 */
public record DeploymentSpec(
        UUID id,
        String name,
        long generation,
        UUID tenantId,
        String model,
        String servedModelName,
        String weights,
        String runtime,
        String vendor,
        String acceleratorType,
        int acceleratorsPerReplica,
        int nodesPerReplica,
        int tensorParallelSize,
        String precision,
        int contextLength,
        int replicas) {
}
