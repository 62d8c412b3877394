package io.maas.engine.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingLogFileTests {

    @TempDir
    Path dir;

    @Test
    void rollsOverBySizeAndKeepsTheNewestFiles() throws Exception {
        Path file = dir.resolve("engine.log");
        try (RollingLogFile log = new RollingLogFile(file, 20, 2)) {
            for (int i = 1; i <= 7; i++) {
                log.append("line " + i + " ....."); // 13 bytes with the newline: one line per file
            }
        }

        assertThat(Files.readString(file)).isEqualTo("line 7 .....\n");
        assertThat(Files.readString(dir.resolve("engine.log.1"))).isEqualTo("line 6 .....\n");
        assertThat(Files.readString(dir.resolve("engine.log.2"))).isEqualTo("line 5 .....\n");
        assertThat(dir.resolve("engine.log.3")).doesNotExist();
    }
}
