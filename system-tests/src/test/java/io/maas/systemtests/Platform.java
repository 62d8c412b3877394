package io.maas.systemtests;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
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
import java.util.Map;

/**
 * The platform as {@code ./platform up} runs it: the engine adapter (llama.cpp with the generated
 * demo MoE model), tenant-service (which seeds the demo tenant and its key, as it does for
 * {@code ./platform up}) and the gateway, each a separate JVM started from its runnable jar, talking
 * real HTTP, with a real PostgreSQL. Started once per test JVM and stopped when it exits.
 */
final class Platform {

    static final String MODEL = "demo-moe";
    private static Platform instance;

    final URI engine;
    final URI gateway;
    /** The demo tenant's key, seeded by tenant-service. */
    final String apiKey = ApiKeySecret.generate();
    /** What the gateway sends the engine adapter; anyone without it is refused (401). */
    final String engineSecret = ApiKeySecret.generate();
    private final Path logs;

    private Platform() throws IOException {
        logs = Path.of("target", "platform-logs");
        Files.createDirectories(logs);
        int enginePort = freePort();
        int tenantPort = freePort();
        int gatewayPort = freePort();
        engine = URI.create("http://127.0.0.1:" + enginePort);
        URI tenantService = URI.create("http://127.0.0.1:" + tenantPort);
        gateway = URI.create("http://127.0.0.1:" + gatewayPort);
        TestDatabase db = TestDatabase.get();
        Process engineProcess = start("engine-adapter", System.getProperty("maas.engine.jar"), enginePort,
                Map.of("PLATFORM_ENGINE_SECRET", engineSecret), List.of(
                "--platform.engine.cache-dir=" + Path.of("target", "models").toAbsolutePath(),
                "--platform.engine.served-model-name=" + MODEL,
                "--platform.engine.context-size=16384",
                "--platform.engine.parallel=2"));
        Process tenantProcess = start("tenant-service", System.getProperty("maas.tenant.jar"), tenantPort,
                Map.of("PLATFORM_TENANT_DEMO_API_KEY", apiKey, "PLATFORM_ADMIN_PASSWORD", ApiKeySecret.generate()), List.of(
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--platform.tenant.demo.tenant=system-tests",
                "--platform.tenant.demo.models=" + MODEL,
                "--platform.deployments.local.engine-jar=" + System.getProperty("maas.engine.jar"),
                "--platform.deployments.local.state-dir=" + Path.of("target", "deployments").toAbsolutePath(),
                "--platform.deployments.local.cache-dir=" + Path.of("target", "models").toAbsolutePath()));
        awaitHealth("engine-adapter", engine, engineProcess);
        Process gatewayProcess = start("inference-gateway", System.getProperty("maas.gateway.jar"), gatewayPort,
                Map.of("PLATFORM_GATEWAY_ENGINE_SECRET", engineSecret), List.of(
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--platform.gateway.models[0].name=" + MODEL,
                "--platform.gateway.models[0].endpoints[0]=" + engine));
        awaitHealth("tenant-service", tenantService, tenantProcess);
        awaitHealth("inference-gateway", gateway, gatewayProcess);
        awaitDemoKey();
    }

    /** Waits until the gateway knows the key tenant-service seeds at start-up. */
    private void awaitDemoKey() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        int status = 0;
        while (Instant.now().isBefore(deadline)) {
            try {
                status = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/models")).header("Authorization", "Bearer " + apiKey).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (status == 200) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the demo key tenant-service seeds still answers " + status + " at the gateway; see "
                + logs.resolve("tenant-service.log").toAbsolutePath());
    }

    static synchronized Platform get() {
        if (instance == null) {
            try {
                instance = new Platform();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The gateway's base URL as OpenAI clients want it. */
    String baseUrl() {
        return gateway + "/v1";
    }

    private Process start(String name, String jar, int port, Map<String, String> environment, List<String> args) throws IOException {
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("Runnable jar of " + name + " not found at " + jar + "; run the build through Maven (mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-jar", jar, "--server.port=" + port));
        command.addAll(args);
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }));
        return process;
    }

    private void awaitHealth(String name, URI base, Process process) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + logs.resolve(name + ".log").toAbsolutePath());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " did not become healthy in 2 minutes; see " + logs.resolve(name + ".log").toAbsolutePath());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
