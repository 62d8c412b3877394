package io.maas.accelerators.fit;

import io.maas.api.accelerator.Precision;

/**
 * The calculator's answer, for {@link #devices()} devices (the count asked about, else the minimum).
 * Memory is per device, in GiB rounded to 0.1: weights + KV cache + activations must fit in the usable
 * part, which is the device's memory less the reserve.
 *
 * @param minimumDevices          the fewest devices that hold the model and one full-context sequence; null when none up to the limit
 * @param fits                    whether {@link #devices()} devices are enough
 * @param weightsGiB              this device's share of the weights
 * @param concurrency             sequences of {@link #contextLength()} tokens the KV cache holds at once, per replica
 * @param kvCacheGiB              KV cache of those sequences on this device
 * @param activationsGiB          activations and workspace the engine needs beside weights and cache
 * @param reserveGiB              memory outside the engine's budget: driver, runtime, communication buffers
 * @param usableGiB               the engine's share of device memory ({@link #memoryGiB()} less the reserve)
 * @param memoryGiB               the device's memory
 * @param kvCacheTokensPerReplica tokens of KV cache that fit beside the weights, per data-parallel replica (0 when nothing is left)
 */
public record FitReport(
        String model,
        Precision precision,
        String accelerator,
        int contextLength,
        int concurrency,
        Integer minimumDevices,
        int devices,
        int nodes,
        int tensorParallelSize,
        int dataParallelSize,
        int expertParallelSize,
        boolean fits,
        double weightsGiB,
        double kvCacheGiB,
        double activationsGiB,
        double reserveGiB,
        double usableGiB,
        double memoryGiB,
        long kvCacheTokensPerReplica) {

    /** Weights, KV cache and activations on one device. */
    public double usedGiB() {
        return Math.round((weightsGiB + kvCacheGiB + activationsGiB) * 10) / 10.0;
    }
}
