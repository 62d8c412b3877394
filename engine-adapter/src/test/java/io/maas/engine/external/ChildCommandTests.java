package io.maas.engine.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.AcceleratorProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ChildCommandTests {

    private static final AcceleratorProviders PROVIDERS = AcceleratorProviders.load();

    @Test
    void anExplicitCommandRunsAsItIsWithTheConfiguredEnvironment() {
        ChildCommand command = ChildCommand.of(properties(List.of("vllm", "serve", "/m"), launch("", "", ""),
                Map.of("VLLM_LOGGING_LEVEL", "DEBUG"), false), "m", PROVIDERS);

        assertThat(command.argv()).containsExactly("vllm", "serve", "/m");
        assertThat(command.environment()).containsExactly(Map.entry("VLLM_LOGGING_LEVEL", "DEBUG"));
    }

    @Test
    void aDeploymentOnAscendGetsVllmAscendWithAscendQuantizationHcclAndTheVisibleDevices() {
        ChildCommand command = ChildCommand.of(properties(List.of(), launch("ascend", "/models/DeepSeek-R1-W8A8", "w8a8"),
                Map.of("HCCL_BUFFSIZE", "2048"), false), "deepseek-r1", PROVIDERS);

        assertThat(command.argv()).startsWith("vllm", "serve", "/models/DeepSeek-R1-W8A8")
                .containsSubsequence("--served-model-name", "deepseek-r1")
                .containsSubsequence("--port", "8100")
                .containsSubsequence("--tensor-parallel-size", "8")
                .containsSubsequence("--quantization", "ascend")
                .contains("--enable-expert-parallel");
        assertThat(command.environment()).containsEntry("HCCL_OP_EXPANSION_MODE", "AIV")
                .as("the configured environment wins").containsEntry("HCCL_BUFFSIZE", "2048")
                .containsEntry("ASCEND_RT_VISIBLE_DEVICES", "0,1,2,3,4,5,6,7");
    }

    @Test
    void aDeploymentOnKunlunInW8a8HasBlockSize64AndNoPrefixCaching() {
        ChildCommand command = ChildCommand.of(properties(List.of(), launch("kunlun", "/models/r1-int8", "w8a8"),
                Map.of(), false), "r1", PROVIDERS);

        assertThat(command.argv()).containsSubsequence("--block-size", "64").contains("--no-enable-prefix-caching");
        assertThat(command.environment()).containsEntry("XPU_VISIBLE_DEVICES", "0,1,2,3,4,5,6,7");
    }

    @Test
    void withParentDeathSignalTheEngineRunsUnderSetprivWhereItIsInstalled() {
        ChildCommand command = ChildCommand.of(properties(List.of("sleep", "1"), launch("", "", ""), Map.of(), true),
                "m", PROVIDERS);

        boolean installed = Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"));
        if (installed) {
            assertThat(command.argv()).endsWith("--pdeathsig", "KILL", "--", "sleep", "1");
        } else {
            assertThat(command.argv()).containsExactly("sleep", "1");
        }
    }

    @Test
    void withoutCommandOrDeploymentTheMessageSaysWhatToSet() {
        assertThatThrownBy(() -> ChildCommand.of(properties(List.of(), launch("", "", ""), Map.of(), false), "m", PROVIDERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platform.engine.external.command")
                .hasMessageContaining("platform.engine.external.launch.vendor");
    }

    private static ExternalProperties.Launch launch(String vendor, String modelPath, String quantization) {
        return new ExternalProperties.Launch(vendor, "", modelPath, 8, 1, vendor.isEmpty() ? 1 : 8, quantization, 0,
                vendor.isEmpty() ? List.of() : List.of(0, 1, 2, 3, 4, 5, 6, 7), "", List.of());
    }

    private static ExternalProperties properties(List<String> command, ExternalProperties.Launch launch,
            Map<String, String> environment, boolean parentDeathSignal) {
        return new ExternalProperties(command, launch, environment, 8100, "/health", "/metrics", Duration.ofMinutes(10),
                Duration.ofSeconds(2), Duration.ofMinutes(10),
                new ExternalProperties.Restart(Duration.ofSeconds(1), Duration.ofMinutes(1), 2, Duration.ofMinutes(1)),
                Duration.ofSeconds(20), new ExternalProperties.Log("", DataSize.ofMegabytes(10), 3), parentDeathSignal);
    }
}
