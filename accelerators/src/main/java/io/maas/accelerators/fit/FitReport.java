package io.maas.accelerators.fit;

import io.maas.api.accelerator.Precision;

/**
 * The calculator's answer, for {@link #devices()} devices (the count asked about, else the minimum).
 * Memory is per device, in GiB rounded to 0.1.
 *
 * @param minimumDevices          the fewest devices that hold the model and one full-context sequence; null when none up to the limit
 * @param fits                    whether {@link #devices()} devices are enough
 * @param weightsGiB              this device's share of the weights
 * @param kvCacheGiB              KV cache of one sequence of {@link #contextLength()} tokens on this device
 * @param reserveGiB              activations and workspace the engine needs beside weights and cache
 * @param usableGiB               the engine's share of device memory
 * @param kvCacheTokensPerReplica tokens of KV cache that fit beside the weights, per data-parallel replica (0 when nothing is left)
 */
public record FitReport(
        String model,
        Precision precision,
        String accelerator,
        int contextLength,
        Integer minimumDevices,
        int devices,
        int nodes,
        int tensorParallelSize,
        int dataParallelSize,
        int expertParallelSize,
        boolean fits,
        double weightsGiB,
        double kvCacheGiB,
        double reserveGiB,
        double usableGiB,
        long kvCacheTokensPerReplica) {
}
