package io.maas.bench.adapter;

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

/** The engine adapter's runnable jar with the simulated engine, on a free loopback port, its log in a file. */
final class AdapterProcess implements AutoCloseable {

    private final Process process;
    private final URI base;

    AdapterProcess(Path jar, Path log, String model, List<String> simulatedSettings) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
                "--platform.engine.runtime=simulated", "--platform.engine.served-model-name=" + model));
        simulatedSettings.forEach(setting -> argv.add("--platform.engine.simulated." + setting));
        this.process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        this.base = URI.create("http://127.0.0.1:" + port);
        awaitHealth(Duration.ofSeconds(90), log);
    }

    private void awaitHealth(Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the adapter ended with exit code " + process.exitValue() + "; see " + log);
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
        throw new IllegalStateException("the adapter was not healthy within " + timeout + "; see " + log);
    }

    URI base() {
        return base;
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
