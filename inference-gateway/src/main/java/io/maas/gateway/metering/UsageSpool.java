package io.maas.gateway.metering;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where usage records wait while PostgreSQL cannot take them: one JSON line per record in
 * {@code pending.jsonl}, forced to disk before {@link #append} returns, so a client that is sent the
 * end of its answer has a durable record behind it even then. {@link #drain} moves the pending file
 * aside for a replay; a replayed file is deleted once each of its lines is in PostgreSQL or quarantined
 * (writing a record is idempotent by request id, so a replay cut short is simply repeated).
 *
 * <p><b>Nothing blocks the replay.</b> A line that cannot be read (torn by a {@code kill -9} or a full
 * disk) and a record PostgreSQL rejects for good (a CHECK violation) are moved to {@code dead-letter.jsonl}
 * with an error log and the counter {@value #QUARANTINED_METRIC}; the replay goes on past them.
 *
 * <p><b>Bounded.</b> The spool holds at most {@code maxBytes}; a record beyond it is not written but
 * logged in full at error level (so it can be recovered from the log) and counted in
 * {@value #DROPPED_METRIC}. The directory must outlive the process (a persistent volume in Kubernetes).
 */
public final class UsageSpool {

    public static final String QUARANTINED_METRIC = "maas.usage.spool.quarantined";
    public static final String DROPPED_METRIC = "maas.usage.spool.dropped";
    private static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final Logger log = LoggerFactory.getLogger(UsageSpool.class);
    private static final String PENDING = "pending.jsonl";
    private static final String DEAD_LETTER = "dead-letter.jsonl";

    /** One line of a spool file: a record, or the text of a line that is none. */
    public record Line(String text, UsageRecord record) {
    }

    private final Path dir;
    private final long maxBytes;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Counter quarantined = Metrics.counter(QUARANTINED_METRIC);
    private final Counter dropped = Metrics.counter(DROPPED_METRIC);

    public UsageSpool(Path dir) {
        this(dir, DEFAULT_MAX_BYTES);
    }

    public UsageSpool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    public Path dir() {
        return dir;
    }

    /** Makes {@code record} durable in the spool; false when the spool is full (the record is then logged). */
    public synchronized boolean append(UsageRecord record) {
        String line = line(record);
        if (size() + line.length() + 1 > maxBytes) {
            dropped.increment();
            log.error("The usage spool {} is full ({} bytes); usage record NOT spooled, recover it from this line: {}", dir, maxBytes, line);
            return false;
        }
        write(PENDING, line, "cannot spool usage of request " + record.requestId());
        return true;
    }

    /** {@code record} as a spool line. */
    public String line(UsageRecord record) {
        return json.writeValueAsString(record);
    }

    /** Moves a line that can never be written to the dead-letter file; logs and counts it. */
    public synchronized void quarantine(String line, String why) {
        write(DEAD_LETTER, line, "cannot quarantine a usage line");
        quarantined.increment();
        log.error("Usage line quarantined in {} ({}): {}", dir.resolve(DEAD_LETTER), why, line);
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

    /** The lines of a replay file; {@link Line#record()} is null for a line that is not a record. */
    public List<Line> read(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).map(this::line).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Replaces a replay file by the lines still to replay (none: deletes it). */
    public void keepOnly(Path file, List<Line> left) {
        try {
            if (left.isEmpty()) {
                Files.delete(file);
                return;
            }
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, left.stream().map(Line::text).toList(), StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    private Line line(String text) {
        try {
            return new Line(text, json.readValue(text, UsageRecord.class));
        } catch (JacksonException e) {
            return new Line(text, null);
        }
    }

    private long size() {
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage spool " + dir, e);
        }
    }

    /** Whether the file's last line lacks its end (torn by a crash): the next line must not be glued to it. */
    private static boolean endsTorn(FileChannel file) throws IOException {
        if (file.size() == 0) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        file.read(last, file.size() - 1);
        return last.get(0) != '\n';
    }

    private void write(String name, String line, String what) {
        try {
            Files.createDirectories(dir);
            try (FileChannel file = FileChannel.open(dir.resolve(name),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(((endsTorn(file) ? "\n" : "") + line + "\n").getBytes(StandardCharsets.UTF_8));
                for (long at = file.size(); bytes.hasRemaining(); ) {
                    at += file.write(bytes, at);
                }
                file.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " to " + dir, e);
        }
    }
}
