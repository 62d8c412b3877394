package io.maas.accelerators.nvidia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.api.accelerator.ToolOutput;
import io.maas.accelerators.Fixtures;
import io.maas.accelerators.Fixtures.FakeTools;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NvidiaProviderTests {

    private static final String QUERY = "nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu,"
            + "pci.bus_id,ecc.errors.uncorrected.volatile.total --format=csv";

    private final NvidiaProvider provider = new NvidiaProvider();

    @Test
    void discoversGpusWithTheHeaderedQuery() {
        FakeTools tools = FakeTools.answering(QUERY, Fixtures.read("nvidia-smi-query-header-units.csv"));

        List<Device> devices = provider.discover(tools);

        assertThat(tools.calls()).containsExactly(QUERY);
        assertThat(devices).extracting(Device::index).containsExactly(4, 5, 6, 7);
    }

    @Test
    void noToolMeansNoGpus() {
        assertThat(provider.discover(new FakeTools(Map.of()))).isEmpty();
    }

    @Test
    void noDevicesFoundIsNoGpus() {
        FakeTools tools = new FakeTools(Map.of(QUERY, new ToolOutput(6, "No devices were found\n", "")));

        assertThat(provider.discover(tools)).isEmpty();
    }

    @Test
    void aFailingToolIsAnErrorWithItsMessage() {
        FakeTools tools = new FakeTools(Map.of(QUERY, new ToolOutput(9, "",
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")));

        assertThatThrownBy(() -> provider.discover(tools))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("nvidia-smi: exited with code 9: NVIDIA-SMI has failed because it couldn't communicate");
    }

    @Test
    void aDriverThatLacksAQueriedFieldIsAskedForTheFieldsEveryDriverHasAndTheGapIsReported() {
        String base = "nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu,pci.bus_id --format=csv";
        FakeTools tools = new FakeTools(Map.of(
                QUERY, new ToolOutput(2, Fixtures.read("nvidia-smi-query-unknown-field.txt"), ""),
                base, ToolOutput.success(Fixtures.read("nvidia-smi-query-base-fields.csv"))));
        List<Device> devices;
        List<String> warnings;
        try (var log = Fixtures.Warnings.of(NvidiaProvider.class)) {
            devices = provider.discover(tools);
            warnings = log.messages();
        }

        assertThat(tools.calls()).containsExactly(QUERY, base);
        assertThat(devices).extracting(Device::index, Device::memoryTotalMiB, Device::memoryUsedMiB, Device::utilizationPercent, Device::health)
                .containsExactly(tuple(0, 32768L, 0L, 0, DeviceHealth.OK), tuple(1, 32768L, 1024L, 37, DeviceHealth.OK));
        assertThat(warnings).singleElement().asString()
                .contains("does not know the field \"ecc.errors.uncorrected.volatile.total\"", "reported without ecc.errors");
    }

    @Test
    void aBaseQueryThatFailsTooIsAnError() {
        String base = "nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu,pci.bus_id --format=csv";
        FakeTools tools = new FakeTools(Map.of(
                QUERY, new ToolOutput(2, Fixtures.read("nvidia-smi-query-unknown-field.txt"), ""),
                base, new ToolOutput(2, "Field \"pci.bus_id\" is not a valid field to query.\n", "")));

        assertThatThrownBy(() -> provider.discover(tools)).isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("exited with code 2: Field \"pci.bus_id\"");
    }

    @Test
    void fp8OnlyFromHopperAndAda() {
        assertThat(provider.precisions("NVIDIA H100 80GB HBM3")).contains(Precision.FP8, Precision.BF16);
        assertThat(provider.precisions("NVIDIA H200")).contains(Precision.FP8);
        assertThat(provider.precisions("NVIDIA GeForce RTX 4080 SUPER")).contains(Precision.FP8);
        assertThat(provider.precisions("NVIDIA A100-SXM4-80GB")).contains(Precision.BF16, Precision.W8A8).doesNotContain(Precision.FP8);
        assertThat(provider.precisions("Tesla V100-SXM2-32GB")).containsExactlyInAnyOrder(Precision.FP16, Precision.W4A16);
    }

    @Test
    void kubernetesResourceAndProductLabel() {
        var placement = provider.kubernetesPlacement("NVIDIA H100 80GB HBM3");

        assertThat(placement.resourceName()).isEqualTo("nvidia.com/gpu");
        assertThat(placement.nodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"));
        assertThat(provider.visibleDevicesVariable()).contains("CUDA_VISIBLE_DEVICES");
    }

    @Test
    void vllmWithTensorDataAndExpertParallelism() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/models/DeepSeek-V3", "deepseek-v3", 8000)
                .withParallelism(8, 2, 16)
                .withQuantization(Precision.FP8)
                .withMaxModelLen(65536)
                .withDevices(List.of(0, 1, 2, 3, 4, 5, 6, 7))
                .withExtraArgs(List.of("--gpu-memory-utilization", "0.92"));

        LaunchCommand command = provider.launchCommand(spec);

        assertThat(String.join(" ", command.argv())).isEqualTo("vllm serve /models/DeepSeek-V3 --served-model-name deepseek-v3"
                + " --host 127.0.0.1 --port 8000 --tensor-parallel-size 8 --data-parallel-size 2 --enable-expert-parallel"
                + " --max-model-len 65536 --quantization fp8 --gpu-memory-utilization 0.92");
        assertThat(command.environment()).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "0,1,2,3,4,5,6,7"));
    }

    @Test
    void expertParallelSizeMustCoverAllDevices() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/m", "m", 8000).withParallelism(8, 1, 4);

        assertThatThrownBy(() -> provider.launchCommand(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set expertParallelSize to 8, or to 1");
    }

    @Test
    void ggufAndUnknownEnginesAreRejected() {
        assertThatThrownBy(() -> provider.launchCommand(EngineLaunchSpec.of("/m.gguf", "m", 8000).withQuantization(Precision.Q4_K_M)))
                .hasMessageContaining("does not serve GGUF q4_k_m");
        assertThatThrownBy(() -> provider.launchCommand(EngineLaunchSpec.of("/m", "m", 8000).withEngine("sglang")))
                .hasMessage("no engine \"sglang\" for nvidia; use one of vllm");
    }
}
