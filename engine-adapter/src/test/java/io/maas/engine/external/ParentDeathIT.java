package io.maas.engine.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** When the adapter is killed with SIGKILL (no shutdown runs), the kernel ends the engine process it started. */
class ParentDeathIT {

    private static final Pattern STARTED = Pattern.compile("Started the engine process \\(pid (\\d+)\\)");

    @Test
    void aKilledAdapterLeavesNoEngineProcessBehind() throws Exception {
        Process adapter = new ProcessBuilder(ExternalEngineIT.java(), "-XX:TieredStopAtLevel=1", "-jar",
                ExternalEngineIT.engineJar().toString(), "--server.port=0", "--platform.engine.runtime=external",
                "--platform.engine.served-model-name=m", "--platform.engine.external.command=sleep,600",
                "--platform.engine.external.port=" + ExternalEngineIT.freePort())
                .redirectErrorStream(true).start();
        try (BufferedReader log = new BufferedReader(new InputStreamReader(adapter.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher started = null;
            String line;
            while ((line = log.readLine()) != null) {
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    started = m;
                    break;
                }
            }
            assertThat(started).as("the adapter started the engine process").isNotNull();
            ProcessHandle engine = ProcessHandle.of(Long.parseLong(started.group(1))).orElseThrow();
            // started as `setpriv --pdeathsig KILL -- sleep 600`, which replaces itself with sleep a moment later
            for (int i = 0; i < 50 && !engine.info().command().orElse("").endsWith("sleep"); i++) {
                Thread.sleep(100);
            }
            assertThat(engine.info().command()).hasValueSatisfying(command -> assertThat(command).endsWith("sleep"));

            adapter.destroyForcibly(); // SIGKILL: no shutdown hook, no supervisor stop
            assertThat(adapter.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the engine process ended").isFalse();
        } finally {
            adapter.destroyForcibly();
        }
    }
}
