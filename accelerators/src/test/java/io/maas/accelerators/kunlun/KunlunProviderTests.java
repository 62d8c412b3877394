package io.maas.accelerators.kunlun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.Device;
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

class KunlunProviderTests {

    private final KunlunProvider provider = new KunlunProvider();

    @Test
    void discoversFromTheTable() {
        FakeTools tools = FakeTools.answering("xpu-smi", Fixtures.read("xpu-smi-p800.txt"));

        assertThat(provider.discover(tools)).extracting(Device::index).containsExactly(0, 1);
        assertThat(tools.calls()).containsExactly("xpu-smi");
    }

    @Test
    void fallsBackToQueryFormWhenTheTableIsUnreadable() {
        FakeTools tools = new FakeTools(Map.of(
                "xpu-smi", ToolOutput.success("XPU-SMI 6.0 -- new layout\nXPU 0: P800 OAM, 98304 MiB\n"),
                "xpu-smi -q", ToolOutput.success(Fixtures.read("xpu-smi-q-p800x2.txt"))));

        try (var log = Fixtures.Warnings.of(KunlunProvider.class)) {
            assertThat(provider.discover(tools)).extracting(Device::index, Device::memoryUsedMiB)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 40960L), org.assertj.core.groups.Tuple.tuple(1, 0L));
            assertThat(log.messages()).as("what is missing is reported").singleElement().asString()
                    .contains("xpu-smi: the table could not be read", "reports no health");
        }
        assertThat(tools.calls()).containsExactly("xpu-smi", "xpu-smi -q");
    }

    @Test
    void bothFormsUnreadableIsOneErrorNamingBoth() {
        FakeTools tools = new FakeTools(Map.of(
                "xpu-smi", ToolOutput.success("garbage\n"),
                "xpu-smi -q", ToolOutput.success("more garbage\n")));

        assertThatThrownBy(() -> provider.discover(tools))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("neither the table nor xpu-smi -q could be read")
                .hasMessageContaining("no device table")
                .hasMessageContaining("no \"XPU <bus id>\" section");
    }

    @Test
    void noToolMeansNoXpus() {
        assertThat(provider.discover(new FakeTools(Map.of()))).isEmpty();
    }

    @Test
    void p800RunsInt8AndW4a16ButNoFp8() {
        assertThat(provider.precisions("P800 OAM")).contains(Precision.W8A8, Precision.W4A16).doesNotContain(Precision.FP8);
        assertThat(provider.kubernetesPlacement("P800 OAM").resourceName()).isEqualTo("kunlunxin.com/xpu");
        assertThat(provider.visibleDevicesVariable()).contains("XPU_VISIBLE_DEVICES");
    }

    @Test
    void vllmKunlunW8a8AsTheVendorRecipeRunsIt() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/data/DeepSeek-V3-w8a8-int8", "deepseek-v3", 8806)
                .withParallelism(8, 1, 1)
                .withQuantization(Precision.W8A8)
                .withMaxModelLen(32768)
                .withDevices(List.of(0, 1, 2, 3, 4, 5, 6, 7));

        LaunchCommand command = provider.launchCommand(spec);

        assertThat(String.join(" ", command.argv())).isEqualTo("vllm serve /data/DeepSeek-V3-w8a8-int8 --served-model-name deepseek-v3"
                + " --host 127.0.0.1 --port 8806 --tensor-parallel-size 8 --max-model-len 32768 --block-size 64"
                + " --quantization compressed-tensors --no-enable-prefix-caching --no-enable-chunked-prefill");
        assertThat(command.environment())
                .containsEntry("XPU_VISIBLE_DEVICES", "0,1,2,3,4,5,6,7")
                .containsEntry("CUDA_VISIBLE_DEVICES", "0,1,2,3,4,5,6,7");
    }

    @Test
    void fp8IsRejected() {
        assertThatThrownBy(() -> provider.launchCommand(EngineLaunchSpec.of("/m", "m", 8000).withQuantization(Precision.FP8)))
                .hasMessageContaining("Kunlun XPUs do not run fp8 weights");
    }
}
