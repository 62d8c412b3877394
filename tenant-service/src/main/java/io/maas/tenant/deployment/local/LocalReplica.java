package io.maas.tenant.deployment.local;

import io.maas.tenant.deployment.provision.ReplicaObservation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One replica slot of a deployment on this machine: an engine-adapter process on a loopback port, its
 * log, and a record file from which a later tenant-service adopts it. A slot is restarted in place (the
 * same handle, {@link #restarts()} counted); a new slot gets a new handle.
 *
 * <p>Threads: a process this slot starts is started by, and waited for on, its own platform thread, so
 * that with the parent-death signal the kernel ends it exactly when that thread (or the JVM) ends.
 */
final class LocalReplica {

    private final String handle;
    private final int ordinal;
    private final Path log;
    private final Path record;
    private volatile ProcessHandle process;
    private volatile int port;
    private volatile Instant startedAt;
    private volatile Integer exitCode;
    private volatile boolean exited;
    private volatile boolean stopping;
    private volatile int restarts;
    private volatile String failure;

    private LocalReplica(String handle, int ordinal, Path log, Path record) {
        this.handle = handle;
        this.ordinal = ordinal;
        this.log = log;
        this.record = record;
    }

    static LocalReplica fresh(String handle, int ordinal, Path dir) {
        return new LocalReplica(handle, ordinal, dir.resolve("replica-" + ordinal + ".log"), dir.resolve("replica-" + ordinal + ".properties"));
    }

    /**
     * The replica a previous tenant-service left running, from its record: present when the recorded
     * process is alive and is the one recorded (same start time, so a reused pid is not mistaken for it).
     */
    static Optional<LocalReplica> adopt(int ordinal, Path dir) {
        Path record = dir.resolve("replica-" + ordinal + ".properties");
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        Properties saved = new Properties();
        try (var in = Files.newBufferedReader(record)) {
            saved.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid = Long.parseLong(saved.getProperty("pid", "-1"));
        Instant started = Instant.ofEpochMilli(Long.parseLong(saved.getProperty("started", "0")));
        Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(s -> Math.abs(Duration.between(s, started).toMillis()) < 2000).orElse(false));
        if (alive.isEmpty()) {
            return Optional.empty();
        }
        LocalReplica replica = new LocalReplica(saved.getProperty("handle"), ordinal, dir.resolve("replica-" + ordinal + ".log"), record);
        replica.process = alive.get();
        replica.port = Integer.parseInt(saved.getProperty("port"));
        replica.startedAt = started;
        replica.restarts = Integer.parseInt(saved.getProperty("restarts", "0"));
        alive.get().onExit().thenRun(() -> replica.exited = true);
        return Optional.of(replica);
    }

    String handle() {
        return handle;
    }

    int ordinal() {
        return ordinal;
    }

    int restarts() {
        return restarts;
    }

    boolean exited() {
        return exited;
    }

    Optional<ProcessHandle> process() {
        return Optional.ofNullable(process);
    }

    /**
     * Starts (or restarts) the process with {@code argv}, which must listen on {@code port}; returns once it
     * is started, with {@code environment} beside this process's own (less its {@code SPRING_*} and
     * {@code PLATFORM_*} settings). Its output goes to the replica's log, appended, so a restart keeps the
     * previous run's lines.
     */
    void start(List<String> argv, Map<String, String> environment, int port, boolean detached) {
        if (startedAt != null) {
            restarts++;
        }
        this.port = port;
        this.exited = false;
        this.exitCode = null;
        this.failure = null;
        CompletableFuture<ProcessHandle> started = new CompletableFuture<>();
        Thread.ofPlatform().name("replica-" + handle).daemon().start(() -> {
            Process child;
            try {
                Files.createDirectories(log.getParent());
                ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("PLATFORM_"));
                builder.environment().putAll(environment);
                child = builder.start();
            } catch (IOException | RuntimeException e) {
                failure = "could not start: " + e.getMessage();
                exited = true;
                started.complete(null);
                return;
            }
            started.complete(child.toHandle());
            try {
                exitCode = child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exited = true;
        });
        ProcessHandle child = started.join();
        if (child == null) {
            return;
        }
        process = child;
        startedAt = child.info().startInstant().orElse(Instant.now());
        save(detached);
    }

    /** SIGTERM (the adapter drains its requests), then SIGKILL after {@code timeout}; returns when it has exited or at once when {@code wait} is false. */
    void stop(Duration timeout, boolean wait) {
        stopping = true;
        ProcessHandle current = process;
        try {
            Files.deleteIfExists(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (current == null || !current.isAlive()) {
            return;
        }
        current.destroy();
        CompletableFuture<ProcessHandle> exit = current.onExit().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(timedOut -> {
                    current.destroyForcibly();
                    return current;
                });
        if (wait) {
            exit.join();
            current.onExit().join();
        }
    }

    /**
     * How the replica is now: its process, and {@code /health} on its port. An adapter whose engine failed to load
     * ({@code DOWN}) is stopped, so that the next {@link LocalProvisioner#apply} starts it again.
     */
    ReplicaObservation observe(HttpClient http, Duration timeout) {
        String endpoint = "http://127.0.0.1:" + port;
        if (exited || process == null || failure != null) {
            String why = failure != null ? failure : "exited" + (exitCode == null ? "" : " with code " + exitCode);
            return new ReplicaObservation(handle, ordinal, ReplicaObservation.Phase.FAILED, null, startedAt, restarts,
                    why + lastLogLine().map(line -> "; last log line: " + line).orElse(""));
        }
        if (stopping) {
            return new ReplicaObservation(handle, ordinal, ReplicaObservation.Phase.DRAINING, endpoint, startedAt, restarts, "stopping");
        }
        long seconds = Duration.between(startedAt, Instant.now()).toSeconds();
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/health")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() == 200) {
                return new ReplicaObservation(handle, ordinal, ReplicaObservation.Phase.READY, endpoint, startedAt, restarts, null);
            }
            if (health.body().contains("\"DOWN\"")) {
                failure = "the engine failed to load the model: " + health.body();
                process.destroy();
                return new ReplicaObservation(handle, ordinal, ReplicaObservation.Phase.FAILED, null, startedAt, restarts, failure);
            }
            return new ReplicaObservation(handle, ordinal, ReplicaObservation.Phase.STARTING, endpoint, startedAt, restarts,
                    "loading the model (" + seconds + " s)" + lastLogLine().map(line -> ": " + line).orElse(""));
        } catch (IOException e) {
            return new ReplicaObservation(handle, ordinal, ReplicaObservation.Phase.STARTING, endpoint, startedAt, restarts,
                    "starting engine-adapter (" + seconds + " s)" + lastLogLine().map(line -> ": " + line).orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last line of the replica's log that says something, without the logger's prefix. */
    Optional<String> lastLogLine() {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, 4096);
            byte[] tail = new byte[size];
            file.seek(length - size);
            file.readFully(tail);
            List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            String line = lines.getLast().replaceFirst("^.* (INFO|WARN|ERROR) \\d+ --- (\\[[^\\]]*\\] )+\\S+\\s*: ", "");
            return Optional.of(line.substring(0, Math.min(200, line.length())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void save(boolean detached) {
        if (!detached) {
            return;
        }
        Properties saved = new Properties();
        saved.setProperty("handle", handle);
        saved.setProperty("pid", Long.toString(process.pid()));
        saved.setProperty("started", Long.toString(startedAt.toEpochMilli()));
        saved.setProperty("port", Integer.toString(port));
        saved.setProperty("restarts", Integer.toString(restarts));
        try (var out = Files.newBufferedWriter(record)) {
            saved.store(out, "a replica of a private deployment, adopted by a restarted tenant-service");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
