package io.maas.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFileStoreTests {

    @TempDir
    Path dir;

    @Test
    void storesReadsAndDeletesByIdAndAReopenedStoreStillHasTheContent() throws IOException {
        var store = new DiskFileStore(dir);

        long bytes = store.put("file-abc", new ByteArrayInputStream("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(bytes).isEqualTo(8);
        try (InputStream in = new DiskFileStore(dir).open("file-abc")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n");
        }
        store.delete("file-abc");
        store.delete("file-abc");
        assertThatThrownBy(() -> store.open("file-abc")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anUploadThatBreaksOffLeavesNothingUnderItsId() throws IOException {
        var store = new DiskFileStore(dir);
        InputStream broken = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 100) {
                    return 'x';
                }
                throw new IOException("client went away");
            }
        };

        assertThatThrownBy(() -> store.put("file-broken", broken)).isInstanceOf(IOException.class);
        try (var left = Files.list(dir)) {
            assertThat(left).as("no partial file left either").isEmpty();
        }
    }

    @Test
    void anIdThatIsNotOneCannotReachOutsideTheDirectory() throws IOException {
        var store = new DiskFileStore(dir.resolve("files"));

        assertThatThrownBy(() -> store.open("../secret")).isInstanceOf(IllegalArgumentException.class);
    }
}
