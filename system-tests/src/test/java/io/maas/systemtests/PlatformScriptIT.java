package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's start command, as a person runs it: READY line, a working key, and a clean stop. */
class PlatformScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void upPrintsReadyServesTheDemoKeyAndStopsEverythingOnSigterm() throws Exception {
        Path state = Files.createTempDirectory("platform-up");
        String jdbcUrl = TestDatabase.get().jdbcUrl();
        var builder = new ProcessBuilder("bash", ROOT.resolve("platform").toString(), "up").redirectErrorStream(true);
        builder.environment().putAll(Map.of(
                "PLATFORM_STATE_DIR", state.toString(),
                "PLATFORM_DB_NAME", jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1),
                "PLATFORM_GATEWAY_PORT", freePort(), "PLATFORM_ENGINE_PORT", freePort(),
                "PLATFORM_TENANT_PORT", freePort(), "PLATFORM_CONSOLE_PORT", freePort()));
        Process up = builder.start();
        List<String> output = new ArrayList<>();
        Map<String, String> ready = new HashMap<>();
        try {
            var lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("READY ")) {
                    for (String pair : line.substring(6).split(" ")) {
                        ready.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                    }
                    break;
                }
            }
            assertThat(ready).as(String.join("\n", output)).containsKeys("gateway", "api_key", "model");
            List<ProcessHandle> services = up.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(ready.get("gateway") + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + ready.get("api_key"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + ready.get("model")
                            + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(ready.get("engine") + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(direct.statusCode()).as("the engine adapter answers only its gateway").isEqualTo(401);
            assertThat(answer.body()).contains("\"completion_tokens\":");
            assertThat(ready.get("model")).isEqualTo("demo-moe");
            assertThat(demoOf(ready.get("api_key"))).as("tenant-service seeded the demo the READY line names")
                    .containsEntry("tenant", ready.get("tenant")).containsEntry("key_id", ready.get("key_id")).containsEntry("name", "demo");
            assertThat(services).hasSizeGreaterThanOrEqualTo(4);

            up.getInputStream().close(); // the reader goes first, as a killed `| tee` does; the stop must not depend on it
            up.destroy(); // SIGTERM, as a service manager would stop it
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle service : services) {
                service.onExit().completeOnTimeout(service, 10, TimeUnit.SECONDS).join();
                assertThat(service.isAlive()).as("%s still alive after the stop", service.info()).isFalse();
            }
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    @Test
    void aJdkOlderThan21RefusesToBuildAndNamesTheJdkToUse() throws Exception {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        assumeTrue(Files.isExecutable(jdk17.resolve("bin/java")), "no JDK 17 on this machine to try");
        var builder = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B", "-N", "-o", "validate")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", jdk17.toString());
        Process build = builder.start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(build.waitFor()).isNotZero();
        assertThat(log).contains("This build needs JDK 21 or newer", "JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64");
    }

    /** The tenant (id and name) and key id of the key {@code secret}. */
    private static Map<String, String> demoOf(String secret) throws SQLException {
        try (Connection db = TestDatabase.get().connect(); PreparedStatement st = db.prepareStatement(
                "SELECT t.id, t.name, k.id FROM api_key k JOIN tenant t ON t.id = k.tenant_id WHERE k.secret_hash = ?")) {
            st.setBytes(1, ApiKeySecret.hash(secret));
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("the demo key is stored").isTrue();
                return Map.of("tenant", rs.getString(1), "name", rs.getString(2), "key_id", rs.getString(3));
            }
        }
    }

    private static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
