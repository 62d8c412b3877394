package io.maas.accelerators.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuProviderTests {

    private final CpuProvider provider = new CpuProvider();

    @Test
    void theHostIsOneDeviceWithItsCoresAndMemory() {
        List<Device> devices = provider.discover((tool, args) -> {
            throw new AssertionError("the CPU provider runs no tool, asked for " + tool);
        });

        assertThat(devices).singleElement().satisfies(cpu -> {
            assertThat(cpu.vendor()).isEqualTo("cpu");
            assertThat(cpu.index()).isZero();
            assertThat(cpu.name()).endsWith("(" + Runtime.getRuntime().availableProcessors() + " cores)");
            assertThat(cpu.memoryTotalMiB()).isPositive();
            assertThat(cpu.memoryUsedMiB()).isBetween(0L, cpu.memoryTotalMiB());
            assertThat(cpu.health()).isEqualTo(DeviceHealth.OK);
        });
    }

    @Test
    void llamaServerForAGgufFile() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/models/DeepSeek-V2-Lite-Q4_K_M.gguf", "deepseek-v2-lite", 8081)
                .withQuantization(Precision.Q4_K_M).withMaxModelLen(8192);

        assertThat(provider.launchCommand(spec).argv()).containsExactly("llama-server", "--model",
                "/models/DeepSeek-V2-Lite-Q4_K_M.gguf", "--alias", "deepseek-v2-lite", "--host", "127.0.0.1", "--port", "8081",
                "--ctx-size", "8192");
        assertThat(provider.launchCommand(spec).environment()).isEqualTo(Map.of());
    }

    @Test
    void parallelismAndNonGgufPrecisionsAreRejected() {
        EngineLaunchSpec spec = EngineLaunchSpec.of("/m.gguf", "m", 8081);

        assertThatThrownBy(() -> provider.launchCommand(spec.withParallelism(2, 1, 1))).hasMessageContaining("runs as one process");
        assertThatThrownBy(() -> provider.launchCommand(spec.withQuantization(Precision.FP8))).hasMessageContaining("not a GGUF format");
    }
}
