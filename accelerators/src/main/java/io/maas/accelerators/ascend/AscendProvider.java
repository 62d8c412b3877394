package io.maas.accelerators.ascend;

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Huawei Ascend NPUs: {@code npu-smi info}, {@code ASCEND_RT_VISIBLE_DEVICES}, {@code huawei.com/Ascend910},
 * vllm-ascend and MindIE. Ascend has no FP8; quantized DeepSeek runs as W8A8.
 */
public final class AscendProvider implements AcceleratorProvider {

    private static final String VLLM_ASCEND = "vllm-ascend";
    private static final String MINDIE = "mindie";
    private static final Set<Precision> NPU_910 = Set.copyOf(EnumSet.of(Precision.BF16, Precision.FP16, Precision.W8A8, Precision.W4A16));

    @Override
    public String id() {
        return "ascend";
    }

    @Override
    public List<Device> discover(ToolRunner tools) {
        Optional<ToolOutput> run = tools.run(NpuSmiInfo.TOOL, List.of("info"));
        return run.isEmpty() ? List.of() : NpuSmiInfo.parse(run.get().stdoutOrThrow(NpuSmiInfo.TOOL));
    }

    @Override
    public Optional<String> visibleDevicesVariable() {
        return Optional.of("ASCEND_RT_VISIBLE_DEVICES");
    }

    /**
     * The resource names of Huawei's device plugin and the node labels of its cluster scheduler:
     * {@code accelerator=huawei-Ascend910} with {@code accelerator-type} {@code module-910b-8}
     * (Atlas 800 A2, 8 × 910B) or {@code module-a3-16} (Atlas 800 A3, 8 NPUs × 2 chips, reported as
     * {@code Ascend910}); 310P cards are {@code huawei.com/Ascend310P}.
     */
    @Override
    public KubernetesPlacement kubernetesPlacement(String deviceName) {
        String name = deviceName.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith("310P")) {
            return new KubernetesPlacement("huawei.com/Ascend310P", Map.of("accelerator", "huawei-Ascend310P"));
        }
        if (name.startsWith("910B")) {
            return new KubernetesPlacement("huawei.com/Ascend910",
                    Map.of("accelerator", "huawei-Ascend910", "accelerator-type", "module-910b-8"));
        }
        if (name.equals("ASCEND910")) {
            return new KubernetesPlacement("huawei.com/Ascend910",
                    Map.of("accelerator", "huawei-Ascend910", "accelerator-type", "module-a3-16"));
        }
        return new KubernetesPlacement("huawei.com/Ascend910", Map.of("accelerator", "huawei-Ascend910"));
    }

    /** 910B and A3: BF16, FP16, W8A8, W4A16. 310P: FP16 and W8A8 (no BF16). No Ascend chip runs FP8. */
    @Override
    public Set<Precision> precisions(String deviceName) {
        if (deviceName.strip().toUpperCase(Locale.ROOT).startsWith("310")) {
            return Set.of(Precision.FP16, Precision.W8A8);
        }
        return NPU_910;
    }

    @Override
    public List<String> engines() {
        return List.of(VLLM_ASCEND, MINDIE);
    }

    /**
     * vllm-ascend: {@code vllm serve} with {@code --quantization ascend} for ModelSlim W8A8/W4A16 weights.
     * MindIE: {@code mindieservice_daemon}, which takes model path, port and world size from its own
     * config.json; the spec must name that file ({@link EngineLaunchSpec#configFile()}).
     * Both get the HCCL settings of the vendors' DeepSeek recipes (AIV expansion, 1 GiB HCCL buffers).
     */
    @Override
    public LaunchCommand launchCommand(EngineLaunchSpec spec) {
        if (spec.quantization() != null && !NPU_910.contains(spec.quantization())) {
            throw new IllegalArgumentException("Ascend NPUs do not run " + spec.quantization().id()
                    + " weights; use W8A8 (ModelSlim) or BF16 weights");
        }
        Map<String, String> environment = new HashMap<>(VllmCommand.visibleDevices(spec, "ASCEND_RT_VISIBLE_DEVICES"));
        environment.put("HCCL_OP_EXPANSION_MODE", "AIV");
        environment.put("HCCL_BUFFSIZE", "1024");
        String engine = spec.engineOr(VLLM_ASCEND);
        return switch (engine) {
            case VLLM_ASCEND -> {
                environment.put("PYTORCH_NPU_ALLOC_CONF", "expandable_segments:True");
                environment.put("OMP_PROC_BIND", "false");
                List<String> precisionArgs = spec.quantization() == null ? List.of() : switch (spec.quantization()) {
                    case BF16 -> List.of("--dtype", "bfloat16");
                    case FP16 -> List.of("--dtype", "float16");
                    default -> List.of("--quantization", "ascend");
                };
                yield new LaunchCommand(VllmCommand.serve(spec, precisionArgs), environment);
            }
            case MINDIE -> {
                if (spec.configFile() == null) {
                    throw new IllegalArgumentException("MindIE reads model path, port and world size from its config.json; "
                            + "set configFile to that file");
                }
                environment.put("MIES_CONFIG_JSON_PATH", spec.configFile());
                yield new LaunchCommand(List.of("mindieservice_daemon"), environment);
            }
            default -> throw VllmCommand.unknownEngine(id(), engine, engines());
        };
    }
}
