package io.maas.accelerators.fit;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A device model the fit calculator plans for.
 *
 * @param id             short name ({@code h100}, {@code h200}, {@code 910b}, {@code p800})
 * @param vendor         the accelerator provider that knows which precisions it runs
 * @param deviceName     the name its vendor tool reports
 * @param memoryMiB      device memory as the vendor tool reports it
 * @param usableFraction the share of memory the engine may use; the rest is for driver, runtime and
 *                       communication buffers outside the engine's budget
 * @param devicesPerNode devices in one server (tensor parallelism stays inside a server)
 * @param server         what one server is called
 */
public record AcceleratorSpec(String id, String vendor, String deviceName, long memoryMiB, double usableFraction,
        int devicesPerNode, String server) {

    /**
     * Rules for the fractions: 0.90 is vLLM's default {@code --gpu-memory-utilization}, used by vLLM on
     * NVIDIA and vllm-ascend; vLLM-Kunlun's DeepSeek and GLM W8A8 recipes for the P800 run at 0.95 or above.
     */
    public static final List<AcceleratorSpec> CATALOG = List.of(
            new AcceleratorSpec("h100", "nvidia", "NVIDIA H100 80GB HBM3", 81_559, 0.90, 8, "HGX H100 8-GPU"),
            new AcceleratorSpec("h200", "nvidia", "NVIDIA H200", 143_771, 0.90, 8, "HGX H200 8-GPU"),
            new AcceleratorSpec("910b", "ascend", "910B3", 65_536, 0.90, 8, "Atlas 800 A2"),
            new AcceleratorSpec("p800", "kunlun", "P800 OAM", 98_304, 0.95, 8, "P800 8-XPU server"));

    /** The catalog entry whose vendor tool reports {@code deviceName}, if any. */
    public static Optional<AcceleratorSpec> byDeviceName(String deviceName) {
        return CATALOG.stream().filter(spec -> spec.deviceName().equalsIgnoreCase(deviceName)).findFirst();
    }

    /** The id of this machine's CPU and memory, for llama.cpp: {@link #byId} answers it with the memory the JVM sees. */
    public static final String CPU = "cpu";

    /**
     * The catalog entry {@code id}, or for {@value #CPU} this machine (container limits included), of which
     * llama.cpp may use 80 %: the rest is for the operating system and the platform's own processes.
     */
    public static AcceleratorSpec byId(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals(CPU)) {
            long memoryMiB = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize() / (1024 * 1024);
            return new AcceleratorSpec(CPU, "cpu", "CPU", memoryMiB, 0.80, 1, "this machine");
        }
        return CATALOG.stream().filter(spec -> spec.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new FitRequestException("accelerator", "unknown accelerator \"" + id + "\"; use one of "
                        + CATALOG.stream().map(AcceleratorSpec::id).collect(Collectors.joining(", ")) + " or " + CPU));
    }
}
