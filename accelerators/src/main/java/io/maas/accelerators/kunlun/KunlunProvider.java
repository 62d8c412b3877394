package io.maas.accelerators.kunlun;

import io.maas.api.accelerator.AcceleratorProvider;
import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.KubernetesPlacement;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.api.accelerator.ToolOutput;
import io.maas.api.accelerator.ToolRunner;
import io.maas.accelerators.VllmCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kunlunxin XPUs: {@code xpu-smi}, {@code XPU_VISIBLE_DEVICES}, {@code kunlunxin.com/xpu}, vLLM-Kunlun.
 * The P800 has no FP8; it runs W8A8-INT8 and W4A16.
 */
public final class KunlunProvider implements AcceleratorProvider {

    private static final System.Logger LOG = System.getLogger(KunlunProvider.class.getName());

    private static final String ENGINE = "vllm-kunlun";

    @Override
    public String id() {
        return "kunlun";
    }

    /**
     * Reads the {@code xpu-smi} table; when an xpu-smi version prints a table this provider cannot
     * read, asks {@code xpu-smi -q}, whose key : value form does not depend on column layout.
     */
    @Override
    public List<Device> discover(ToolRunner tools) {
        Optional<ToolOutput> table = tools.run(XpuSmiTable.TOOL, List.of());
        if (table.isEmpty()) {
            return List.of();
        }
        try {
            return XpuSmiTable.parse(table.get().stdoutOrThrow(XpuSmiTable.TOOL));
        } catch (DiscoveryException tableProblem) {
            Optional<ToolOutput> query = tools.run(XpuSmiTable.TOOL, List.of("-q"));
            if (query.isEmpty()) {
                throw tableProblem;
            }
            try {
                List<Device> devices = XpuSmiQuery.parse(query.get().stdoutOrThrow(XpuSmiTable.TOOL));
                LOG.log(System.Logger.Level.WARNING, "{0}: the table could not be read ({1}); the XPUs were read from xpu-smi -q, "
                        + "which reports no health", XpuSmiTable.TOOL, tableProblem.getMessage());
                return devices;
            } catch (DiscoveryException queryProblem) {
                DiscoveryException both = new DiscoveryException(XpuSmiTable.TOOL, "neither the table nor xpu-smi -q could be read. "
                        + "Table: " + tableProblem.getMessage() + ". Query: " + queryProblem.getMessage());
                both.addSuppressed(tableProblem);
                both.addSuppressed(queryProblem);
                throw both;
            }
        }
    }

    /** The Kunlun runtime's variable; vLLM-Kunlun's recipes set {@code CUDA_VISIBLE_DEVICES} to the same list. */
    @Override
    public Optional<String> visibleDevicesVariable() {
        return Optional.of("XPU_VISIBLE_DEVICES");
    }

    /** Kunlunxin's device plugin resource; it sets no model label, so there is no node selector. */
    @Override
    public KubernetesPlacement kubernetesPlacement(String deviceName) {
        return new KubernetesPlacement("kunlunxin.com/xpu", Map.of());
    }

    /** P800: BF16, FP16, W8A8-INT8, W4A16. Older Kunlun chips: FP16 and W8A8. */
    @Override
    public Set<Precision> precisions(String deviceName) {
        if (deviceName.toUpperCase(Locale.ROOT).contains("P800")) {
            return Set.of(Precision.BF16, Precision.FP16, Precision.W8A8, Precision.W4A16);
        }
        return Set.of(Precision.FP16, Precision.W8A8);
    }

    @Override
    public List<String> engines() {
        return List.of(ENGINE);
    }

    /**
     * {@code vllm serve} as vLLM-Kunlun's recipes run it: {@code --block-size 64}; W8A8-INT8 weights as
     * {@code --quantization compressed-tensors} with prefix caching and chunked prefill off, as the
     * vendor's W8A8 MoE recipes (DeepSeek, GLM) require. Extra arguments come last and can turn them back on.
     */
    @Override
    public LaunchCommand launchCommand(EngineLaunchSpec spec) {
        String engine = spec.engineOr(ENGINE);
        if (!engine.equals(ENGINE)) {
            throw VllmCommand.unknownEngine(id(), engine, engines());
        }
        List<String> vendorArgs = new ArrayList<>(List.of("--block-size", "64"));
        if (spec.quantization() != null) {
            switch (spec.quantization()) {
                case W8A8 -> vendorArgs.addAll(List.of("--quantization", "compressed-tensors",
                        "--no-enable-prefix-caching", "--no-enable-chunked-prefill"));
                case BF16 -> vendorArgs.addAll(List.of("--dtype", "bfloat16"));
                case FP16 -> vendorArgs.addAll(List.of("--dtype", "float16"));
                case F32 -> vendorArgs.addAll(List.of("--dtype", "float32"));
                case W4A16 -> {
                    // AWQ, GPTQ or compressed-tensors: vLLM reads the method from the checkpoint
                }
                case FP8, Q8_0, Q4_K_M -> throw new IllegalArgumentException("Kunlun XPUs do not run "
                        + spec.quantization().id() + " weights; use W8A8-INT8 (w8a8), W4A16 or BF16 weights");
            }
        }
        return new LaunchCommand(VllmCommand.serve(spec, vendorArgs),
                VllmCommand.visibleDevices(spec, "XPU_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES"));
    }
}
