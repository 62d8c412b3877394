package io.maas.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/** {@link FileStore} in a directory: one file per id, written to a temporary name, forced to disk, then moved. */
final class DiskFileStore implements FileStore {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path dir;

    DiskFileStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public long put(String id, InputStream content) throws IOException {
        Path target = path(id);
        Path partial = dir.resolve(id + ".partial");
        try {
            long bytes;
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                bytes = content.transferTo(out);
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public InputStream open(String id) throws IOException {
        return Files.newInputStream(path(id));
    }

    @Override
    public void delete(String id) throws IOException {
        Files.deleteIfExists(path(id));
    }

    private Path path(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a file id: " + id);
        }
        return dir.resolve(id);
    }
}
