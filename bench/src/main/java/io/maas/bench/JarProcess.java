package io.maas.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A service's runnable jar in a JVM of its own, on a free loopback port, its log in a file; ready once {@code /health} is 200. */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final URI base;

    public JarProcess(Path jar, Path log, List<String> args) throws Exception {
        this(List.of(), jar, log, args);
    }

    /** {@code jvmOptions} go before {@code -jar} (for example {@code --enable-native-access=ALL-UNNAMED}). */
    public JarProcess(List<String> jvmOptions, Path jar, Path log, List<String> args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
        argv.addAll(args);
        this.process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        this.base = URI.create("http://127.0.0.1:" + port);
        awaitHealth(Duration.ofSeconds(180), log);
    }

    private void awaitHealth(Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(log.getFileName() + ": the process ended with exit code " + process.exitValue()
                        + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(log.getFileName() + ": not healthy within " + timeout + "; see " + log);
    }

    public URI base() {
        return base;
    }

    /** The JVM's process, for its CPU time. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
