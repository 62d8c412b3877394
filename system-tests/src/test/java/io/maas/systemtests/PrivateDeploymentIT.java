package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The private-deployment journey of the README, as an admin and two tenants live it on {@code ./platform up}:
 * a private {@code demo-moe} deployment with two llama.cpp replicas provisioned as local processes, served
 * through the gateway to its tenant only, a conversation whose later turns find their prefix cached, a
 * scale-down that stops one process, and a delete after which the gateway answers 404.
 */
class PrivateDeploymentIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SYSTEM = "You are the support assistant of ACME Robotics. Answer briefly and politely, "
            + "in the customer's language, quoting order numbers exactly as the customer wrote them. ".repeat(4);

    private String api;
    private String gateway;
    private String admin;

    @Test
    void anAdminGivesATenantItsOwnDeploymentThatOnlyItsKeysReachAndThatScalesAndGoes() throws Exception {
        Path state = Files.createTempDirectory("platform-deployments");
        // a database of its own, which ./platform up creates: a fresh platform generates the admin's password
        String jdbcUrl = TestDatabase.get().jdbcUrl();
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1) + "_deployments";
        var builder = new ProcessBuilder("bash", ROOT.resolve("platform").toString(), "up").redirectErrorStream(true);
        builder.environment().putAll(Map.of(
                "PLATFORM_STATE_DIR", state.toString(),
                "PLATFORM_DB_NAME", database,
                "PLATFORM_GATEWAY_PORT", freePort(), "PLATFORM_ENGINE_PORT", freePort(),
                "PLATFORM_TENANT_PORT", freePort(), "PLATFORM_CONSOLE_PORT", freePort()));
        Process up = builder.start();
        try {
            Map<String, String> ready = awaitReady(up);
            api = ready.get("api");
            gateway = ready.get("gateway");
            admin = "Basic " + Base64.getEncoder().encodeToString(("admin:" + Files.readString(state.resolve("admin-password")).strip())
                    .getBytes(StandardCharsets.UTF_8));

            String acme = call("POST", "/tenants", "{\"name\":\"acme\"}", 201).get("id").asString();
            String other = call("POST", "/tenants", "{\"name\":\"other\"}", 201).get("id").asString();
            String acmeKey = call("POST", "/tenants/" + acme + "/api-keys", "{\"name\":\"acme-app\"}", 201).get("secret").asString();
            String otherKey = call("POST", "/tenants/" + other + "/api-keys", "{\"name\":\"other-app\"}", 201).get("secret").asString();

            JsonNode created = call("POST", "/deployments", "{\"name\":\"acme-moe\",\"tenantId\":\"" + acme
                    + "\",\"model\":\"demo-moe\",\"servedModelName\":\"acme-moe\",\"replicas\":2}", 201);
            String id = created.get("id").asString();
            JsonNode running = await(id, d -> d.get("state").asString().equals("READY"), Duration.ofMinutes(5));
            assertThat(running.get("replicas").get("ready").asInt()).isEqualTo(2);
            List<String> reasons = new ArrayList<>();
            call("GET", "/deployments/" + id + "/events", null, 200).forEach(event -> reasons.add(event.get("reason").asString()));
            assertThat(reasons).contains("Created", "Started", "Ready");

            // the gateway learns it from PostgreSQL; only the owner's keys see and reach it
            awaitStatus(acmeKey, 200, Duration.ofSeconds(10));
            assertThat(models(acmeKey)).contains("\"acme-moe\"");
            assertThat(models(otherKey)).doesNotContain("acme-moe");
            HttpResponse<String> refused = chat(otherKey, List.of("Hello"));
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).contains("model_not_found");

            // a conversation: every later turn sends the whole history, and lands on the replica whose llama.cpp slot
            // holds it; the system prompt alone is shared by every request, so a later turn must find more than that
            List<String> turns = new ArrayList<>();
            List<Long> prompt = new ArrayList<>();
            List<Long> cached = new ArrayList<>();
            for (int turn = 0; turn < 4; turn++) {
                turns.add("Question " + turn + ": where is my order 4711-" + turn + "?");
                HttpResponse<String> answer = chat(acmeKey, turns);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(answer.body());
                turns.add(body.path("choices").path(0).path("message").path("content").asString(""));
                prompt.add(body.get("usage").get("prompt_tokens").asLong());
                cached.add(body.get("usage").get("prompt_cache_hit_tokens").asLong());
            }
            for (int turn = 1; turn < 4; turn++) {
                assertThat(cached.get(turn)).as("turn %d found the previous turn's prompt cached (prompt tokens %s, cached %s)", turn,
                        prompt, cached).isGreaterThanOrEqualTo(prompt.get(turn - 1) - 16);
            }

            List<ProcessHandle> replicas = replicaProcesses(up);
            assertThat(replicas).hasSize(2);
            call("PATCH", "/deployments/" + id, "{\"replicas\":1}", 200);
            await(id, d -> countLive(d) == 1, Duration.ofMinutes(1));
            awaitProcesses(up, 1);
            assertThat(chat(acmeKey, List.of("Still there?")).statusCode()).isEqualTo(200);

            call("DELETE", "/deployments/" + id, null, 202);
            awaitProcesses(up, 0);
            awaitStatus(acmeKey, 404, Duration.ofSeconds(10));
        } finally {
            up.getInputStream().close();
            up.destroy();
            up.waitFor(60, TimeUnit.SECONDS);
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
            try (Connection db = TestDatabase.get().connect(); Statement drop = db.createStatement()) {
                drop.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static Map<String, String> awaitReady(Process up) throws IOException {
        var lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        List<String> output = new ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null) {
            output.add(line);
            if (line.startsWith("READY ")) {
                Map<String, String> ready = new HashMap<>();
                for (String pair : line.substring(6).split(" ")) {
                    ready.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
                // keep draining the output, so that the platform never blocks on a full pipe
                Thread.ofVirtual().start(() -> lines.lines().forEach(ignored -> { }));
                return ready;
            }
        }
        throw new AssertionError("./platform up ended before READY:\n" + String.join("\n", output));
    }

    private JsonNode call(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private JsonNode await(String id, Predicate<JsonNode> done, Duration limit) throws Exception {
        Instant until = Instant.now().plus(limit);
        JsonNode deployment = call("GET", "/deployments/" + id, null, 200);
        while (!done.test(deployment)) {
            assertThat(Instant.now()).as("deployment %s", deployment).isBefore(until);
            Thread.sleep(500);
            deployment = call("GET", "/deployments/" + id, null, 200);
        }
        return deployment;
    }

    private static int countLive(JsonNode deployment) {
        int live = 0;
        for (JsonNode replica : deployment.get("replicaList")) {
            if (!replica.get("state").asString().equals("STOPPED")) {
                live++;
            }
        }
        return live;
    }

    private String models(String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/models")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> chat(String key, List<String> turns) throws Exception {
        var messages = JSON.createArrayNode();
        messages.addObject().put("role", "system").put("content", SYSTEM);
        for (int i = 0; i < turns.size(); i++) {
            messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", turns.get(i));
        }
        var body = JSON.createObjectNode().put("model", "acme-moe").put("max_tokens", 8).put("seed", 7);
        body.set("messages", messages);
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String key, int status, Duration limit) throws Exception {
        Instant until = Instant.now().plus(limit);
        int last;
        while ((last = chat(key, List.of("ping")).statusCode()) != status) {
            assertThat(Instant.now()).as("the gateway still answers %d, not %d", last, status).isBefore(until);
            Thread.sleep(200);
        }
    }

    /** The engine-adapter processes tenant-service started for deployments (the platform's own engine excluded). */
    private static List<ProcessHandle> replicaProcesses(Process up) {
        return up.descendants().filter(p -> p.info().commandLine().orElse("").contains("engine-adapter")
                && p.info().commandLine().orElse("").contains("-Xmx160m")).toList();
    }

    private static void awaitProcesses(Process up, int count) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(90);
        while (replicaProcesses(up).size() != count) {
            assertThat(Instant.now()).as("%d replica processes, not %d", replicaProcesses(up).size(), count).isBefore(until);
            Thread.sleep(500);
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
