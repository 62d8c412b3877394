package io.maas.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.accelerators.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the CLI as its own JVM with fake {@code nvidia-smi}, {@code npu-smi} and {@code xpu-smi} scripts
 * (printing fixture text) as the only tools on {@code PATH}.
 */
class PlatformCliIT {

    @TempDir
    Path bin;

    @Test
    void devicesJsonListsEveryVendorFoundOnPath() throws Exception {
        fakeTool("nvidia-smi", "nvidia-smi-query-header-units.csv");
        fakeTool("npu-smi", "npu-smi-info-a3.txt");
        fakeTool("xpu-smi", "xpu-smi-p800.txt");

        Result result = cli("devices", "--json");

        assertThat(result.exit()).as(result.stderr()).isZero();
        JsonNode devices = JsonMapper.builder().build().readTree(result.stdout());
        List<String> vendorIndex = new ArrayList<>();
        devices.forEach(device -> vendorIndex.add(device.get("vendor").asString() + ":" + device.get("index").asInt()));
        assertThat(vendorIndex).containsExactly("ascend:0", "ascend:1", "ascend:2", "ascend:3", "kunlun:0", "kunlun:1",
                "nvidia:4", "nvidia:5", "nvidia:6", "nvidia:7", "cpu:0");
        assertThat(devices.get(9).get("health").asString()).isEqualTo("critical");
        assertThat(devices.get(3).get("memoryUsedMiB").asLong()).isEqualTo(40987);
    }

    @Test
    void aToolPrintingGarbageIsAClearErrorAndExitOne() throws Exception {
        Files.writeString(bin.resolve("npu-smi"), "#!/bin/sh\necho 'dcmi module initialize failed. ret is -8005'\n");
        Files.setPosixFilePermissions(bin.resolve("npu-smi"), PosixFilePermissions.fromString("rwxr-xr-x"));

        Result result = cli("devices");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stdout()).contains("cpu ");
        assertThat(result.stderr()).contains("error: npu-smi: no device table");
    }

    private void fakeTool(String name, String fixture) throws IOException {
        Path output = bin.resolve(name + ".out");
        Files.writeString(output, Fixtures.read(fixture));
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\nexec /bin/cat '" + output + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PlatformCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", bin.toString());
        Path stdout = bin.resolve("stdout");
        Path stderr = bin.resolve("stderr");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finishes").isTrue();
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
