package io.maas.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.ToolOutput;
import io.maas.accelerators.DeviceInventory;
import io.maas.accelerators.Fixtures;
import io.maas.accelerators.Fixtures.FakeTools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PlatformCliTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, ToolOutput> tools, String... args) {
        DeviceInventory inventory = new DeviceInventory(AcceleratorProviders.load().all(), new FakeTools(tools));
        return new PlatformCli(() -> inventory, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void devicesAsATable() {
        int exit = run(Map.of("npu-smi info", ToolOutput.success(Fixtures.read("npu-smi-info-910b.txt"))), "devices");

        assertThat(exit).isZero();
        assertThat(out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .startsWith("VENDOR  INDEX  NAME").contains("MEMORY USED/TOTAL (MiB)", "BUS ID", "HEALTH"));
        assertThat(out()).contains("ascend  0      910B").contains("1365 / 32768").contains("0000:c1:00.0  ok");
        assertThat(out().lines().reduce((a, b) -> b)).hasValueSatisfying(last -> assertThat(last).startsWith("cpu "));
    }

    @Test
    void devicesAsJson() {
        int exit = run(Map.of("xpu-smi", ToolOutput.success(Fixtures.read("xpu-smi-p800.txt"))), "devices", "--json");

        JsonNode devices = JsonMapper.builder().build().readTree(out());
        assertThat(exit).isZero();
        assertThat(devices.isArray()).isTrue();
        JsonNode first = devices.get(0);
        assertThat(first.get("vendor").asString()).isEqualTo("kunlun");
        assertThat(first.get("index").asInt()).isZero();
        assertThat(first.get("name").asString()).isEqualTo("P800 OAM");
        assertThat(first.get("memoryTotalMiB").asLong()).isEqualTo(98304);
        assertThat(first.get("memoryUsedMiB").asLong()).isZero();
        assertThat(first.get("utilizationPercent").asInt()).isZero();
        assertThat(first.get("busId").asString()).isEqualTo("0000:03:00.0");
        assertThat(first.get("health").asString()).isEqualTo("ok");
        assertThat(devices.get(devices.size() - 1).get("vendor").asString()).isEqualTo("cpu");
    }

    @Test
    void aFailingToolStillPrintsTheOtherDevicesAndExitsOne() {
        int exit = run(Map.of("nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu,pci.bus_id,"
                + "ecc.errors.uncorrected.volatile.total --format=csv", new ToolOutput(9, "", "NVIDIA-SMI has failed\n")), "devices");

        assertThat(exit).isEqualTo(1);
        assertThat(out()).contains("cpu ");
        assertThat(err()).contains("error: nvidia-smi: exited with code 9: NVIDIA-SMI has failed");
    }

    @Test
    void fitReadable() {
        int exit = run(Map.of(), "fit", "--model", "deepseek-r1", "--precision", "fp8", "--accelerator", "h200");

        assertThat(exit).isZero();
        assertThat(out()).contains("deepseek-r1 at fp8 on h200, 131072-token context, 1 at once")
                .contains("minimum:    8 devices")
                .contains("tensor parallel 8, data parallel 1, expert parallel 8")
                .contains("weights 78.1 GiB + KV cache 8.6 GiB + activations 2.0 GiB = 88.7 GiB of 126.4 GiB usable: fits")
                .contains("reserve:    14.0 GiB of 140.4 GiB");
    }

    @Test
    void fitJsonAndExitOneWhenItDoesNotFit() {
        int exit = run(Map.of(), "fit", "--model", "deepseek-v3", "--precision", "fp8", "--accelerator", "h100", "--devices", "8",
                "--json");

        JsonNode report = JsonMapper.builder().build().readTree(out());
        assertThat(exit).isEqualTo(1);
        assertThat(report.get("fits").asBoolean()).isFalse();
        assertThat(report.get("minimumDevices").asInt()).isEqualTo(16);
        assertThat(report.get("precision").asString()).isEqualTo("fp8");
    }

    @Test
    void badArgumentsExitTwoWithWhatToChange() {
        assertThat(run(Map.of(), "fit", "--model", "deepseek-v3", "--precision", "fp8")).isEqualTo(2);
        assertThat(err()).contains("error: fit needs --accelerator");

        assertThat(run(Map.of(), "fit", "--model", "deepseek-v3", "--precision", "fp8", "--accelerator", "910b")).isEqualTo(2);
        assertThat(err()).contains("error: 910B3 does not run fp8; it runs [bf16, fp16, w4a16, w8a8] (--precision)");

        assertThat(run(Map.of(), "devices", "--all")).isEqualTo(2);
        assertThat(err()).contains("unknown option \"--all\"");

        assertThat(run(Map.of(), "deploy")).isEqualTo(2);
        assertThat(err()).contains("unknown command \"deploy\"; use devices or fit");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).startsWith("usage: platform devices [--json]");
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err()).startsWith("usage:");
    }
}
