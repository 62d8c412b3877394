package io.maas.console;

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
import java.util.concurrent.TimeUnit;

/**
 * The platform's services the console talks to, each a separate JVM started from its runnable jar
 * on the test database: tenant-service always; the engine adapter (simulated engine, a
 * {@code -reasoner} model, so answers carry reasoning) and the gateway when a test streams. Started
 * once per test JVM, stopped when it exits.
 */
final class Services {

    static final String ADMIN_PASSWORD = "console-admin-password";
    static final String MODEL = "deepseek-reasoner";
    /** The gateway's {@code platform.gateway.console.secret}, which the console sends for the gateway's own view. */
    static final String CONSOLE_SECRET = "console-secret-for-the-tests";

    private static URI tenantService;
    private static URI gateway;
    private static final Path LOGS = Path.of("target", "service-logs");

    private Services() {
    }

    /** tenant-service's base URL, started on first use. */
    static synchronized URI tenantService() {
        if (tenantService == null) {
            tenantService = tenantService("shared");
        }
        return tenantService;
    }

    /** Another tenant-service on the same database, with {@code args} added (e.g. single sign-on); its log is named {@code name}. */
    static URI tenantService(String name, String... args) {
        TestDatabase db = TestDatabase.get();
        int port = freePort();
        List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--platform.tenant.admin-password=" + ADMIN_PASSWORD,
                // local deployments: engine-adapter processes from its jar, their logs under target/
                "--platform.deployments.local.engine-jar=" + System.getProperty("maas.engine.jar"),
                "--platform.deployments.local.state-dir=" + Path.of("target", "deployments-" + name).toAbsolutePath()));
        all.addAll(List.of(args));
        Process process = start("tenant-service-" + name, System.getProperty("maas.tenant.jar"), port, all);
        URI url = URI.create("http://127.0.0.1:" + port);
        awaitHealth("tenant-service-" + name, url, process);
        return url;
    }

    /** The gateway's base URL, in front of a simulated engine serving {@link #MODEL}; started on first use. */
    static synchronized URI gateway() {
        if (gateway == null) {
            int enginePort = freePort();
            Process engine = start("engine-adapter", System.getProperty("maas.engine.jar"), enginePort, List.of(
                    "--platform.engine.runtime=simulated", "--platform.engine.served-model-name=" + MODEL,
                    "--platform.engine.simulated.output.tokens=48", "--platform.engine.simulated.inter-token-latency=20ms"));
            URI engineUrl = URI.create("http://127.0.0.1:" + enginePort);
            awaitHealth("engine-adapter", engineUrl, engine);
            TestDatabase db = TestDatabase.get();
            int port = freePort();
            Process process = start("inference-gateway", System.getProperty("maas.gateway.jar"), port, List.of(
                    "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                    "--spring.datasource.password=" + db.password(),
                    "--platform.gateway.models[0].name=" + MODEL, "--platform.gateway.models[0].endpoints[0]=" + engineUrl,
                    "--platform.gateway.usage-spool-dir=" + Path.of("target", "usage-spool").toAbsolutePath(),
                    "--platform.gateway.console.secret=" + CONSOLE_SECRET));
            gateway = URI.create("http://127.0.0.1:" + port);
            awaitHealth("inference-gateway", gateway, process);
        }
        return gateway;
    }

    private static Process start(String name, String jar, int port, List<String> args) {
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("Runnable jar of " + name + " not found at " + jar + "; run the build through Maven (mvn verify -am)");
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", jar, "--server.port=" + port));
        command.addAll(args);
        try {
            Files.createDirectories(LOGS);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOGS.resolve(name + ".log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.destroy();
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitHealth(String name, URI base, Process process) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + LOGS.resolve(name + ".log").toAbsolutePath());
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
                Thread.sleep(250);
            } catch (IOException notYet) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " did not become healthy in 3 minutes; see " + LOGS.resolve(name + ".log").toAbsolutePath());
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
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
