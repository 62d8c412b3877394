package io.maas.accelerators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.ToolOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessToolRunnerIT {

    @TempDir
    Path bin;

    private ProcessToolRunner runner(Duration timeout) {
        return new ProcessToolRunner("/nonexistent:" + bin, timeout);
    }

    private void script(String name, String body) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aToolNotOnPathIsNotInstalled() {
        assertThat(runner(Duration.ofSeconds(5)).run("nvidia-smi", List.of())).isEmpty();
    }

    @Test
    void runsTheToolWithItsArguments() throws IOException {
        script("npu-smi", "echo \"args: $*\"; echo warn >&2; exit 3");

        ToolOutput output = runner(Duration.ofSeconds(5)).run("npu-smi", List.of("info", "-t", "board")).orElseThrow();

        assertThat(output).isEqualTo(new ToolOutput(3, "args: info -t board\n", "warn\n"));
    }

    @Test
    void aHungToolIsKilledAfterTheTimeout() throws IOException {
        script("xpu-smi", "exec sleep 30");

        long started = System.nanoTime();
        assertThatThrownBy(() -> runner(Duration.ofMillis(500)).run("xpu-smi", List.of()))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("xpu-smi: did not finish within 0 s and was killed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aFileWithoutExecutePermissionIsNotATool() throws IOException {
        Files.writeString(bin.resolve("nvidia-smi"), "not a program");

        assertThat(runner(Duration.ofSeconds(5)).run("nvidia-smi", List.of())).isEmpty();
    }
}
