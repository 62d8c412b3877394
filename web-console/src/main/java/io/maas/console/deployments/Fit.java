package io.maas.console.deployments;

/**
 * The fit calculator's answer as tenant-service gives it (per device, GiB rounded to 0.1): what a
 * layout holds and whether it is enough; the preview draws it as a bar.
 *
 * @param minimumDevices the fewest devices that hold the model; null when none up to the calculator's limit
 */
public record Fit(String model, String precision, String accelerator, int contextLength, int concurrency, Integer minimumDevices, int devices,
                  int nodes, int tensorParallelSize, int dataParallelSize, int expertParallelSize, boolean fits, double weightsGiB,
                  double kvCacheGiB, double activationsGiB, double reserveGiB, double usableGiB, double memoryGiB, long kvCacheTokensPerReplica) {

    /** Weights, KV cache and activations on one device. */
    public double usedGiB() {
        return Math.round((weightsGiB + kvCacheGiB + activationsGiB) * 10) / 10.0;
    }

    /** {@code gib}'s share of the device's memory in percent, for the bar (at most 100). */
    public double percentOfMemory(double gib) {
        return memoryGiB <= 0 ? 0 : Math.min(100, Math.round(gib / memoryGiB * 1000) / 10.0);
    }
}
