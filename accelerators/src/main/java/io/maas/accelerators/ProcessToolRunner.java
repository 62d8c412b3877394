package io.maas.accelerators;

import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.ToolOutput;
import io.maas.api.accelerator.ToolRunner;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs vendor tools as child processes: found on a {@code PATH}, stdin closed, stdout and stderr
 * read completely (up to {@value #MAX_OUTPUT_BYTES} bytes each), killed after a timeout.
 */
public final class ProcessToolRunner implements ToolRunner {

    static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

    private final List<Path> searchPath;
    private final Duration timeout;

    /**
     * @param pathVariable directories separated by the platform's path separator, as in {@code PATH}
     * @param timeout      how long a tool may run before it is killed and discovery fails
     */
    public ProcessToolRunner(String pathVariable, Duration timeout) {
        this.searchPath = pathVariable == null ? List.of() : Arrays.stream(pathVariable.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .flatMap(ProcessToolRunner::toPath)
                .toList();
        this.timeout = timeout;
    }

    /** The tools on this process's {@code PATH}, 20 seconds each (nvidia-smi can take seconds on a large node). */
    public static ProcessToolRunner fromEnvironment() {
        return new ProcessToolRunner(System.getenv("PATH"), Duration.ofSeconds(20));
    }

    @Override
    public Optional<ToolOutput> run(String tool, List<String> arguments) {
        Optional<Path> executable = find(tool);
        if (executable.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(executable.get().toString());
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new DiscoveryException(tool, "cannot be started from " + executable.get() + ": " + e.getMessage(), e);
        }
        FutureTask<String> stdout = drain(process.getInputStream(), tool);
        FutureTask<String> stderr = drain(process.getErrorStream(), tool);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DiscoveryException(tool, "did not finish within " + timeout.toSeconds()
                        + " s and was killed; the driver may be hung, run " + tool + " by hand and check the kernel log");
            }
            return Optional.of(new ToolOutput(process.exitValue(), result(stdout, tool), result(stderr, tool)));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DiscoveryException(tool, "interrupted while waiting for it", e);
        }
    }

    Optional<Path> find(String tool) {
        if (tool.contains("/") || tool.contains(File.separator)) {
            throw new IllegalArgumentException("tool must be a bare name looked up on PATH, was " + tool);
        }
        return searchPath.stream()
                .map(directory -> directory.resolve(tool))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    private static Stream<Path> toPath(String entry) {
        try {
            return Stream.of(Path.of(entry));
        } catch (InvalidPathException e) {
            return Stream.empty();
        }
    }

    private static FutureTask<String> drain(InputStream stream, String tool) {
        FutureTask<String> task = new FutureTask<>(() -> {
            try (stream) {
                byte[] bytes = stream.readNBytes(MAX_OUTPUT_BYTES + 1);
                if (bytes.length > MAX_OUTPUT_BYTES) {
                    stream.transferTo(OutputStream.nullOutputStream());
                    throw new DiscoveryException(tool, "printed more than " + MAX_OUTPUT_BYTES / (1024 * 1024)
                            + " MiB; that is not a device listing");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.ofVirtual().name(tool + "-output").start(task);
        return task;
    }

    private String result(FutureTask<String> output, String tool) throws InterruptedException {
        try {
            return output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DiscoveryException discovery) {
                throw discovery;
            }
            throw new DiscoveryException(tool, "its output could not be read: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DiscoveryException(tool, "exited but kept its output open (a child process still running?)", e);
        }
    }
}
