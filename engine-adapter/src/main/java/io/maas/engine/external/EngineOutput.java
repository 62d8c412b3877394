package io.maas.engine.external;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures an engine process's stdout and stderr line by line: into the adapter's log under the
 * logger {@code io.maas.engine.external.engine} with the prefix {@code [engine pid=N]}, and into the
 * rolling log file when one is configured. Engines such as vLLM log INFO to stderr, so both streams are
 * logged at INFO.
 */
final class EngineOutput {

    private static final Logger log = LoggerFactory.getLogger("io.maas.engine.external.engine");

    private final RollingLogFile file;

    /** {@code file} may be null: the adapter's log only. */
    EngineOutput(RollingLogFile file) {
        this.file = file;
    }

    /** Starts reading both streams of {@code process} on virtual threads; they end with the process. */
    void capture(Process process) {
        String prefix = "[engine pid=" + process.pid() + "] ";
        Thread.ofVirtual().name("engine-stdout-" + process.pid()).start(() -> pump(process.getInputStream(), prefix));
        Thread.ofVirtual().name("engine-stderr-" + process.pid()).start(() -> pump(process.getErrorStream(), prefix));
    }

    private void pump(InputStream stream, String prefix) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.info("{}{}", prefix, line);
                if (file != null) {
                    write(prefix + line);
                }
            }
        } catch (IOException e) {
            log.debug("{}output closed: {}", prefix, e.getMessage());
        }
    }

    private void write(String line) {
        try {
            file.append(line);
        } catch (IOException e) {
            log.warn("Could not write the engine's log file: {}", e.getMessage());
        }
    }
}
