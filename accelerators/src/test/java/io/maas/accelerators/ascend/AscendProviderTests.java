package io.maas.accelerators.ascend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.accelerators.Fixtures;
import io.maas.accelerators.Fixtures.FakeTools;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AscendProviderTests {

    private final AscendProvider provider = new AscendProvider();

    @Test
    void discoversWithNpuSmiInfo() {
        FakeTools tools = FakeTools.answering("npu-smi info", Fixtures.read("npu-smi-info-a3.txt"));

        assertThat(provider.discover(tools)).extracting(Device::index).containsExactly(0, 1, 2, 3);
        assertThat(provider.discover(new FakeTools(Map.of()))).isEmpty();
    }

    @Test
    void noFp8OnAscend() {
        assertThat(provider.precisions("910B3")).contains(Precision.W8A8, Precision.BF16).doesNotContain(Precision.FP8);
        assertThat(provider.precisions("310P3")).containsExactlyInAnyOrder(Precision.FP16, Precision.W8A8);
    }

    @Test
    void kubernetesResourceAndAcceleratorTypeLabels() {
        assertThat(provider.kubernetesPlacement("910B3").resourceName()).isEqualTo("huawei.com/Ascend910");
        assertThat(provider.kubernetesPlacement("910B3").nodeSelector())
                .containsEntry("accelerator", "huawei-Ascend910").containsEntry("accelerator-type", "module-910b-8");
        assertThat(provider.kubernetesPlacement("Ascend910").nodeSelector()).containsEntry("accelerator-type", "module-a3-16");
        assertThat(provider.kubernetesPlacement("310P3").resourceName()).isEqualTo("huawei.com/Ascend310P");
        assertThat(provider.visibleDevicesVariable()).contains("ASCEND_RT_VISIBLE_DEVICES");
    }

    @Test
    void vllmAscendRunsW8a8WithAscendQuantizationAndHcclSettings() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/models/DeepSeek-R1-W8A8", "deepseek-r1", 8001)
                .withParallelism(8, 2, 16)
                .withQuantization(Precision.W8A8)
                .withDevices(List.of(0, 1, 2, 3, 4, 5, 6, 7));

        LaunchCommand command = provider.launchCommand(spec);

        assertThat(String.join(" ", command.argv())).isEqualTo("vllm serve /models/DeepSeek-R1-W8A8 --served-model-name deepseek-r1"
                + " --host 127.0.0.1 --port 8001 --tensor-parallel-size 8 --data-parallel-size 2 --enable-expert-parallel"
                + " --quantization ascend");
        assertThat(command.environment())
                .containsEntry("ASCEND_RT_VISIBLE_DEVICES", "0,1,2,3,4,5,6,7")
                .containsEntry("HCCL_OP_EXPANSION_MODE", "AIV")
                .containsEntry("HCCL_BUFFSIZE", "1024");
    }

    @Test
    void mindieRunsItsDaemonWithItsConfigFile() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/models/DeepSeek-R1-W8A8", "deepseek-r1", 1025)
                .withEngine("mindie").withParallelism(16, 1, 1).withConfigFile("/etc/mindie/config.json");

        LaunchCommand command = provider.launchCommand(spec);

        assertThat(command.argv()).containsExactly("mindieservice_daemon");
        assertThat(command.environment()).containsEntry("MIES_CONFIG_JSON_PATH", "/etc/mindie/config.json")
                .containsEntry("HCCL_BUFFSIZE", "1024");
        assertThatThrownBy(() -> provider.launchCommand(spec.withConfigFile(null)))
                .hasMessageContaining("set configFile");
    }

    @Test
    void fp8IsRejectedWithWhatToUseInstead() {
        assertThatThrownBy(() -> provider.launchCommand(EngineLaunchSpec.of("/m", "m", 8000).withQuantization(Precision.FP8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Ascend NPUs do not run fp8 weights; use W8A8 (ModelSlim) or BF16 weights");
    }
}
