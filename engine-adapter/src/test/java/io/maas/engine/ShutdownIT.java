package io.maas.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged adapter ends on SIGTERM although llama.cpp leaves a non-daemon native thread behind. */
class ShutdownIT {

    @Test
    void sigtermEndsTheProcessAfterTheModelWasLoaded() throws Exception {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "--server.port=0", "--platform.engine.cache-dir=target" + File.separator + "demo-model")
                .redirectErrorStream(true).start();
        try (BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = log.readLine()) != null && !line.contains("Loaded demo-moe")) {
                // wait for the model
            }
            assertThat(line).as("the model was loaded").isNotNull();
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
        } finally {
            process.destroyForcibly();
        }
    }
}
