package io.maas.accelerators;

import io.maas.api.accelerator.EngineLaunchSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code vllm serve} command line shared by vLLM and its vendor plugins (vllm-ascend, vLLM-Kunlun),
 * which take the same parallelism flags.
 */
public final class VllmCommand {

    private VllmCommand() {
    }

    /**
     * {@code vllm serve} for {@code spec}, with the vendor's flags before the spec's extra arguments.
     *
     * <p>Rule: vLLM has no separate expert-parallel size; {@code --enable-expert-parallel} spreads the
     * experts over all tensor × data parallel devices. So an expert parallel size must be 1 (off) or
     * exactly tensor × data parallel.
     */
    public static List<String> serve(EngineLaunchSpec spec, List<String> vendorArgs) {
        int expertDevices = spec.tensorParallelSize() * spec.dataParallelSize();
        if (spec.expertParallelSize() > 1 && spec.expertParallelSize() != expertDevices) {
            throw new IllegalArgumentException("vLLM spreads experts over all tensor x data parallel devices ("
                    + spec.tensorParallelSize() + " x " + spec.dataParallelSize() + " = " + expertDevices
                    + "); set expertParallelSize to " + expertDevices + ", or to 1 for no expert parallelism");
        }
        List<String> argv = new ArrayList<>(List.of("vllm", "serve", spec.modelPath(),
                "--served-model-name", spec.servedModelName(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(spec.port()),
                "--tensor-parallel-size", Integer.toString(spec.tensorParallelSize())));
        if (spec.dataParallelSize() > 1) {
            argv.addAll(List.of("--data-parallel-size", Integer.toString(spec.dataParallelSize())));
        }
        if (spec.expertParallelSize() > 1) {
            argv.add("--enable-expert-parallel");
        }
        if (spec.maxModelLen() != null) {
            argv.addAll(List.of("--max-model-len", Integer.toString(spec.maxModelLen())));
        }
        argv.addAll(vendorArgs);
        argv.addAll(spec.extraArgs());
        return argv;
    }

    /** {@code variable=0,1,…} for the spec's devices; nothing when it uses all visible ones. */
    public static Map<String, String> visibleDevices(EngineLaunchSpec spec, String... variables) {
        Map<String, String> environment = new HashMap<>();
        if (!spec.deviceIndexes().isEmpty()) {
            String indexes = spec.deviceIndexes().stream().map(String::valueOf).collect(Collectors.joining(","));
            for (String variable : variables) {
                environment.put(variable, indexes);
            }
        }
        return environment;
    }

    /** The exception for an engine name the provider does not know. */
    public static IllegalArgumentException unknownEngine(String vendor, String engine, List<String> engines) {
        return new IllegalArgumentException("no engine \"" + engine + "\" for " + vendor + "; use one of " + String.join(", ", engines));
    }
}
