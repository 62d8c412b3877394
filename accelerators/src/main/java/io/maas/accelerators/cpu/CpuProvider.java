package io.maas.accelerators.cpu;

import com.sun.management.OperatingSystemMXBean;
import io.maas.api.accelerator.AcceleratorProvider;
import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.KubernetesPlacement;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.api.accelerator.ToolRunner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host CPU as one device (index 0): cores and memory as the JVM sees them (container limits
 * included), llama.cpp's {@code llama-server} as the engine.
 */
public final class CpuProvider implements AcceleratorProvider {

    private static final long MIB = 1024 * 1024;
    private static final Set<Precision> GGUF = Set.of(Precision.F32, Precision.BF16, Precision.FP16, Precision.Q8_0, Precision.Q4_K_M);

    @Override
    public String id() {
        return "cpu";
    }

    /**
     * Always one device; the name is the CPU model from {@code /proc/cpuinfo} (or the architecture) and
     * the core count; utilization is the one-minute load average per core, capped at 100 %.
     */
    @Override
    public List<Device> discover(ToolRunner tools) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long totalMiB = os.getTotalMemorySize() / MIB;
        long usedMiB = Math.max(0, totalMiB - os.getFreeMemorySize() / MIB);
        int cores = Runtime.getRuntime().availableProcessors();
        double load = os.getSystemLoadAverage();
        Integer utilization = load < 0 ? null : (int) Math.min(100, Math.round(load * 100 / cores));
        String name = modelName() + " (" + cores + " cores)";
        return List.of(new Device(id(), 0, name, totalMiB, usedMiB, utilization, null, DeviceHealth.OK));
    }

    /** Pods ask for cores with the core {@code cpu} resource; any node will do. */
    @Override
    public KubernetesPlacement kubernetesPlacement(String deviceName) {
        return new KubernetesPlacement("cpu", Map.of());
    }

    /** The GGUF formats llama.cpp runs on CPUs. */
    @Override
    public Set<Precision> precisions(String deviceName) {
        return GGUF;
    }

    @Override
    public List<String> engines() {
        return List.of("llama.cpp");
    }

    /** {@code llama-server} for a GGUF file; the file decides the precision, so the spec's is only checked. */
    @Override
    public LaunchCommand launchCommand(EngineLaunchSpec spec) {
        String engine = spec.engineOr("llama.cpp");
        if (!engine.equals("llama.cpp")) {
            throw new IllegalArgumentException("no engine \"" + engine + "\" for cpu; use llama.cpp");
        }
        if (spec.deviceCount() != 1 || spec.expertParallelSize() != 1) {
            throw new IllegalArgumentException("llama.cpp on CPU runs as one process; set tensor, data and expert parallel sizes to 1");
        }
        if (spec.quantization() != null && !GGUF.contains(spec.quantization())) {
            throw new IllegalArgumentException("llama.cpp takes the precision from the GGUF file; "
                    + spec.quantization().id() + " is not a GGUF format, use q8_0, q4_k_m, bf16, fp16 or f32");
        }
        List<String> argv = new ArrayList<>(List.of("llama-server", "--model", spec.modelPath(), "--alias", spec.servedModelName(),
                "--host", "127.0.0.1", "--port", Integer.toString(spec.port())));
        if (spec.maxModelLen() != null) {
            argv.addAll(List.of("--ctx-size", Integer.toString(spec.maxModelLen())));
        }
        argv.addAll(spec.extraArgs());
        return new LaunchCommand(argv, Map.of());
    }

    private static String modelName() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).strip())
                        .filter(model -> !model.isEmpty())
                        .findFirst()
                        .orElse(System.getProperty("os.arch") + " CPU");
            } catch (IOException | RuntimeException e) {
                return System.getProperty("os.arch") + " CPU";
            }
        }
        return System.getProperty("os.arch") + " CPU";
    }
}
