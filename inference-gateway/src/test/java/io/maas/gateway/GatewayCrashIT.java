package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.maas.api.keys.ApiKeySecret;
import io.maas.db.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway killed with SIGKILL in the middle of a stream loses nothing: its request was journalled
 * before the engine was called, and another gateway process bills it from the engine's receipt and
 * ends its hold. Both gateways are the runnable jar, started as real processes.
 */
class GatewayCrashIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final String KEY = ApiKeySecret.generate();

    @TempDir
    Path spool;

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void aGatewayKilledMidStreamLosesNothingAndItsHoldEnds() throws Exception {
        UUID tenant = UUID.randomUUID();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", tenant, "crash-it-" + tenant);
        TestRows.execute("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', ?, ?)", UUID.randomUUID(),
                tenant, ApiKeySecret.prefix(KEY), ApiKeySecret.hash(KEY));
        TestRows.execute("INSERT INTO limit_policy (tenant_id, daily_tokens) VALUES (?, 1000000)", tenant); // a durable hold

        Process first = gateway();
        String requestId;
        try {
            int port = awaitPort(first);
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"stall\"}],"
                            + "\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofLines());
            requestId = response.headers().firstValue("x-request-id").orElseThrow();
            assertThat(response.body().filter(line -> line.contains("Hel")).findFirst()).as("mid-stream").isPresent();

            first.destroyForcibly().waitFor(); // SIGKILL
        } finally {
            first.destroyForcibly();
        }
        assertThat(count("usage_record", requestId)).isZero();
        assertThat(count("admission_reservation", requestId)).as("held by the dead gateway").isEqualTo(1);
        assertThat(count("request_journal", requestId)).isEqualTo(1);

        Process second = gateway();
        try {
            awaitPort(second);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> count("usage_record", requestId) == 1);
        } finally {
            second.destroyForcibly().waitFor();
        }
        assertThat(TestRows.one("SELECT outcome, prompt_tokens, completion_tokens FROM usage_record WHERE request_id = ?", requestId))
                .containsEntry("outcome", "GATEWAY_LOST").containsEntry("prompt_tokens", "7").containsEntry("completion_tokens", "2");
        assertThat(count("usage_ledger", requestId)).as("priced once").isEqualTo(1);
        assertThat(count("admission_reservation", requestId)).as("the hold ended").isZero();
        assertThat(count("request_journal", requestId)).isZero();
    }

    private Process gateway() throws Exception {
        TestDatabase db = TestDatabase.get();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> argv = List.of(ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1", "-jar",
                gatewayJar().toString(), "--server.port=" + port, "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--platform.gateway.models[0].name=scripted", "--platform.gateway.models[0].endpoints[0]=" + engine.uri(),
                "--platform.gateway.request-deadline=3s", "--platform.gateway.receipt-wait=1s",
                "--platform.gateway.journal-sweep-interval=1s", "--platform.gateway.usage-spool-dir=" + spool);
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    /** Waits until the gateway logs that it started; returns its port. */
    private static int awaitPort(Process gateway) throws Exception {
        var out = new BufferedReader(new InputStreamReader(gateway.getInputStream()));
        String line;
        while ((line = out.readLine()) != null) {
            var started = java.util.regex.Pattern.compile("Tomcat started on port (\\d+)").matcher(line);
            if (started.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its output
                return Integer.parseInt(started.group(1));
            }
        }
        throw new IllegalStateException("the gateway exited before it started");
    }

    private static long count(String table, String requestId) throws SQLException {
        return Long.parseLong(TestRows.one("SELECT count(*) AS n FROM " + table + " WHERE request_id = ?", requestId).get("n"));
    }

    private static Path gatewayJar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
    }
}
