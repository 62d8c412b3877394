package io.maas.gateway.metering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where usage records wait while PostgreSQL cannot take them: one JSON line per record in
 * {@code pending.jsonl}, forced to disk before {@link #append} returns, so a client that is sent the
 * end of its answer has a durable record behind it even then. {@link #drain} moves the pending file
 * aside for a replay; a replayed file is deleted only once all of its records are in PostgreSQL
 * (writing them is idempotent by request id, so a replay cut short is simply repeated).
 *
 * <p>The directory must outlive the process (a persistent volume in Kubernetes).
 */
public final class UsageSpool {

    private static final String PENDING = "pending.jsonl";

    private final Path dir;
    private final JsonMapper json = JsonMapper.builder().build();

    public UsageSpool(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public synchronized void append(UsageRecord record) {
        byte[] line = (json.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(dir);
            try (FileChannel file = FileChannel.open(dir.resolve(PENDING),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                file.write(ByteBuffer.wrap(line));
                file.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool usage of request " + record.requestId() + " to " + dir, e);
        }
    }

    /** The files to replay, oldest first; what was pending is moved aside first, so appends go on meanwhile. */
    public synchronized List<Path> drain() {
        try {
            Path pending = dir.resolve(PENDING);
            if (Files.exists(pending)) {
                Files.move(pending, dir.resolve("replay-" + System.nanoTime() + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().startsWith("replay-")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage spool " + dir, e);
        }
    }

    public List<UsageRecord> read(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).map(l -> json.readValue(l, UsageRecord.class)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
