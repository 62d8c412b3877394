package io.maas.api.accelerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceleratorProvidersTests {

    @Test
    void noProvidersInThisModule() {
        AcceleratorProviders providers = AcceleratorProviders.load();

        assertThat(providers.all()).isEmpty();
        assertThatThrownBy(() -> providers.require("nvidia"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no accelerator provider \"nvidia\"");
    }

    @Test
    void precisionsParseVendorNames() {
        assertThat(Precision.parse("INT8")).isEqualTo(Precision.W8A8);
        assertThat(Precision.parse("w8a8-int8")).isEqualTo(Precision.W8A8);
        assertThat(Precision.parse(" bfloat16 ")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp4"))
                .hasMessage("unknown precision \"fp4\"; use one of bf16, fp16, fp8, w8a8, w4a16, q8_0, q4_k_m, f32");
    }

    @Test
    void launchSpecRejectsWhatNoEngineCouldRun() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/models/m", "m", 8000);

        assertThatThrownBy(() -> spec.withParallelism(0, 1, 1)).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> EngineLaunchSpec.of("/models/m", "m", 70000)).hasMessage("port must be 1-65535, was 70000");
        assertThatThrownBy(() -> EngineLaunchSpec.of(" ", "m", 8000)).hasMessageContaining("modelPath");
        assertThat(spec.withDevices(List.of(2, 3)).deviceIndexes()).containsExactly(2, 3);
    }

    @Test
    void aFailedToolRunSaysWhichToolAndWhy() {
        ToolOutput failed = new ToolOutput(12, "", "dcmi module initialize failed. ret is -8005\n");

        assertThatThrownBy(() -> failed.stdoutOrThrow("npu-smi"))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("npu-smi: exited with code 12: dcmi module initialize failed. ret is -8005;");
    }

    @Test
    void deviceRejectsImpossibleValues() {
        assertThatThrownBy(() -> new Device("nvidia", -1, "GPU", 10, 0L, 0, null, DeviceHealth.OK)).hasMessageContaining("index");
        assertThatThrownBy(() -> new Device("nvidia", 0, "GPU", 10, 11L, 0, null, DeviceHealth.OK)).hasMessageContaining("used <= total");
        assertThatThrownBy(() -> new Device("nvidia", 0, "GPU", 10, 0L, 101, null, DeviceHealth.OK)).hasMessageContaining("0-100");
    }
}
