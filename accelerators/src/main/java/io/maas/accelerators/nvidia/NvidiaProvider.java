package io.maas.accelerators.nvidia;

import io.maas.api.accelerator.AcceleratorProvider;
import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.KubernetesPlacement;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.api.accelerator.ToolOutput;
import io.maas.api.accelerator.ToolRunner;
import io.maas.accelerators.VllmCommand;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NVIDIA GPUs: {@code nvidia-smi}, {@code CUDA_VISIBLE_DEVICES}, {@code nvidia.com/gpu}, vLLM. */
public final class NvidiaProvider implements AcceleratorProvider {

    /** Fields every driver answers. */
    static final List<String> BASE_FIELDS = List.of("index", "name", "memory.total", "memory.used", "utilization.gpu", "pci.bus_id");
    /** What discovery asks for: the base fields, and those a driver may not know. */
    static final List<String> QUERY_FIELDS = List.of("index", "name", "memory.total", "memory.used", "utilization.gpu",
            "pci.bus_id", "ecc.errors.uncorrected.volatile.total");

    private static final System.Logger LOG = System.getLogger(NvidiaProvider.class.getName());
    /** nvidia-smi's answer (exit code 2, on stdout) when the driver does not know a field: the whole query fails. */
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("Field \"([^\"]+)\" is not a valid field to query");

    /** Name fragments of GPUs with FP8 tensor cores: Hopper, Ada Lovelace, Blackwell. */
    private static final List<String> FP8_FAMILIES = List.of("H100", "H200", "H800", "H20", "GH200", "B100", "B200", "B300",
            "GB200", "GB300", "L4", "L40", "RTX 40", "RTX 50", "ADA", "RTX PRO 6000");
    /** Name fragments of Ampere GPUs: BF16 and INT8 tensor cores, no FP8. */
    private static final List<String> AMPERE = List.of("A100", "A800", "A40", "A30", "A10", "A16", "A2 ", "RTX 30", "RTX A");

    @Override
    public String id() {
        return "nvidia";
    }

    /**
     * Asks for {@link #QUERY_FIELDS}. A driver that does not know one of them (older drivers lack some
     * counters) fails the whole query; then the GPUs are read again with the {@link #BASE_FIELDS} every
     * driver has, and a warning names what this node's devices are reported without.
     */
    @Override
    public List<Device> discover(ToolRunner tools) {
        List<String> fields = QUERY_FIELDS;
        Optional<ToolOutput> run = query(tools, fields);
        Optional<String> unknown = run.flatMap(NvidiaProvider::unknownField);
        if (unknown.isPresent()) {
            fields = BASE_FIELDS;
            run = query(tools, fields);
            List<String> missing = QUERY_FIELDS.stream().filter(field -> !BASE_FIELDS.contains(field)).toList();
            LOG.log(System.Logger.Level.WARNING, "{0}: this driver does not know the field \"{1}\"; the GPUs are reported without {2}",
                    NvidiaSmiCsv.TOOL, unknown.get(), String.join(", ", missing));
        }
        if (run.isEmpty() || run.get().stdout().contains("No devices were found")) {
            return List.of();
        }
        return NvidiaSmiCsv.parse(run.get().stdoutOrThrow(NvidiaSmiCsv.TOOL), fields);
    }

    private static Optional<ToolOutput> query(ToolRunner tools, List<String> fields) {
        return tools.run(NvidiaSmiCsv.TOOL, List.of("--query-gpu=" + String.join(",", fields), "--format=csv"));
    }

    private static Optional<String> unknownField(ToolOutput run) {
        if (run.exitCode() == 0) {
            return Optional.empty();
        }
        Matcher field = UNKNOWN_FIELD.matcher(run.stdout() + run.stderr());
        return field.find() ? Optional.of(field.group(1)) : Optional.empty();
    }

    @Override
    public Optional<String> visibleDevicesVariable() {
        return Optional.of("CUDA_VISIBLE_DEVICES");
    }

    /** {@code nvidia.com/gpu}, and the product label GPU feature discovery puts on nodes (spaces become dashes). */
    @Override
    public KubernetesPlacement kubernetesPlacement(String deviceName) {
        return new KubernetesPlacement("nvidia.com/gpu", Map.of("nvidia.com/gpu.product", deviceName.strip().replace(' ', '-')));
    }

    /**
     * FP8 on Hopper, Ada and Blackwell; BF16 and W8A8 from Ampere on; FP16 and W4A16 everywhere.
     * A GPU this list does not know gets only the formats every CUDA GPU vLLM supports runs.
     */
    @Override
    public Set<Precision> precisions(String deviceName) {
        String name = deviceName.toUpperCase(Locale.ROOT) + " ";
        Set<Precision> precisions = EnumSet.of(Precision.FP16, Precision.W4A16);
        if (FP8_FAMILIES.stream().anyMatch(name::contains)) {
            precisions.addAll(List.of(Precision.BF16, Precision.W8A8, Precision.FP8));
        } else if (AMPERE.stream().anyMatch(name::contains)) {
            precisions.addAll(List.of(Precision.BF16, Precision.W8A8));
        }
        return precisions;
    }

    @Override
    public List<String> engines() {
        return List.of("vllm");
    }

    /**
     * {@code vllm serve}: FP8 as {@code --quantization fp8} (FP8 checkpoints, or BF16 weights quantized
     * on load); W8A8 and W4A16 come from the checkpoint's own quantization config; BF16/FP16 set {@code --dtype}.
     */
    @Override
    public LaunchCommand launchCommand(EngineLaunchSpec spec) {
        String engine = spec.engineOr("vllm");
        if (!engine.equals("vllm")) {
            throw VllmCommand.unknownEngine(id(), engine, engines());
        }
        List<String> precisionArgs = spec.quantization() == null ? List.of() : switch (spec.quantization()) {
            case FP8 -> List.of("--quantization", "fp8");
            case BF16 -> List.of("--dtype", "bfloat16");
            case FP16 -> List.of("--dtype", "float16");
            case F32 -> List.of("--dtype", "float32");
            case W8A8, W4A16 -> List.of();
            case Q8_0, Q4_K_M -> throw new IllegalArgumentException("vLLM on NVIDIA does not serve GGUF "
                    + spec.quantization().id() + " weights; use fp8, bf16, w8a8 or w4a16 weights, or llama.cpp on CPU");
        };
        return new LaunchCommand(VllmCommand.serve(spec, precisionArgs), VllmCommand.visibleDevices(spec, "CUDA_VISIBLE_DEVICES"));
    }
}
