package io.maas.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real engine adapter with the simulated runtime, run from its runnable jar as a separate JVM on a
 * loopback port; its log is under {@code target/engines/}. {@link #kill} is SIGKILL; {@link #restart}
 * starts it again on the same port.
 */
final class EngineProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final List<String> args;
    private final Path log;
    private Process process;

    private EngineProcess(String name, List<String> args) {
        this.name = name;
        this.port = freePort();
        this.args = args;
        this.log = Path.of("target", "engines", name + ".log").toAbsolutePath();
    }

    /** Starts an engine serving {@code model}; {@link #awaitReady} before use (start several, then wait). */
    static EngineProcess start(String name, String model, String... settings) {
        List<String> args = new ArrayList<>(List.of("--platform.engine.runtime=simulated",
                "--platform.engine.served-model-name=" + model, "--platform.engine.drain-grace=2s"));
        args.addAll(List.of(settings));
        EngineProcess engine = new EngineProcess(name, args);
        engine.launch();
        return engine;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private void launch() {
        String jar = System.getProperty("maas.engine.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("Runnable jar of the engine adapter not found at " + jar + "; run the tests through Maven");
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "--server.port=" + port));
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /health} answers 200. */
    EngineProcess awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("engine " + name + " exited during start-up; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri().resolve("/health")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("engine " + name + " did not become healthy in 2 minutes; see " + log);
    }

    /** SIGKILL: the process ends at once, its connections refused from then on. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the engine again on the same port. */
    EngineProcess restart() {
        launch();
        return this;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
