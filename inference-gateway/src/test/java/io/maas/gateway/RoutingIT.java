package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.gateway.routing.EndpointMonitor;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routing across real engine adapters (simulated runtime, separate JVMs): deployments read from
 * PostgreSQL as tenant-service's reconciler writes them, private and shared visibility, draining,
 * failover (from a refused connection, a 503 or a 429, never after the first token), ejection of a
 * killed engine, a burst spread by in-flight count, and prefix affinity.
 * Each test that needs its own endpoints gives a tenant of its own a private deployment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoutingIT {

    private static final String[] SPEEDS = {"--platform.engine.simulated.time-to-first-token=20ms",
            "--platform.engine.simulated.inter-token-latency=25ms", "--platform.engine.simulated.output.tokens=40"};
    private static final EngineProcess e1 = EngineProcess.start("routing-e1", "routed", SPEEDS);
    private static final EngineProcess e2 = EngineProcess.start("routing-e2", "routed", SPEEDS);
    private static final EngineProcess e3 = EngineProcess.start("routing-e3", "routed", SPEEDS);
    private static final EngineProcess secret = EngineProcess.start("routing-secret", "secret", SPEEDS);
    /** One slot and no queue: busy, it refuses new work at once, with 503 or (as engines like TGI do) 429. */
    private static final String[] NARROW = {"--platform.engine.simulated.time-to-first-token=20ms",
            "--platform.engine.simulated.inter-token-latency=25ms", "--platform.engine.simulated.output.tokens=200",
            "--platform.engine.simulated.max-concurrency=1", "--platform.engine.simulated.queue-size=0"};
    private static final EngineProcess narrow503 = EngineProcess.start("routing-narrow-503", "routed", NARROW);
    private static final EngineProcess narrow429 = EngineProcess.start("routing-narrow-429", "routed",
            Stream.concat(Arrays.stream(NARROW), Stream.of("--platform.engine.simulated.queue-full-status=429")).toArray(String[]::new));
    private static final String ENGINE_SECRET = "engine-secret-of-routing-it";
    /** An adapter that answers only with the engine secret, and says it can cache 77 prompt blocks. */
    private static final EngineProcess guarded = EngineProcess.start("routing-guarded", "guarded", "--platform.engine.secret=" + ENGINE_SECRET,
            "--platform.engine.simulated.prefix-cache-blocks=77");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String CONSOLE_SECRET = "console-secret-of-routing-it";

    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @Autowired
    EndpointMonitor monitor;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "routed");
        registry.add("platform.gateway.console.secret", () -> CONSOLE_SECRET);
        registry.add("platform.gateway.engine-secret", () -> ENGINE_SECRET);
        for (int i = 0; i < 3; i++) {
            URI endpoint = List.of(e1, e2, e3).get(i).uri();
            registry.add("platform.gateway.models[0].endpoints[" + i + "]", endpoint::toString);
        }
        List.of(e1, e2, e3, secret, narrow503, narrow429, guarded).forEach(EngineProcess::awaitReady);
    }

    @AfterAll
    static void stopEngines() {
        List.of(e1, e2, e3, secret, narrow503, narrow429, guarded).forEach(EngineProcess::close);
    }

    @Test
    void anAdapterThatAnswersOnlyWithTheEngineSecretIsServedAndItsLoadIsRead() throws Exception {
        Tenant tenant = tenant();
        replica(deployment("guarded", tenant.id), 0, "READY", guarded.uri());

        awaitWithin(Duration.ofSeconds(2), () -> chat(tenant, "guarded", "hello there").statusCode() == 200);
        // the prefix index takes the size the engine's status reports, once a status was read
        awaitWithin(Duration.ofSeconds(5), () -> monitor.of(guarded.uri()).prefixCapacity() == 77);
    }

    @Test
    void aPrivateDeploymentIsServedWithinTwoSecondsToItsTenantOnlyAndRecordedPerDeployment() throws Exception {
        Tenant owner = tenant();
        Tenant other = tenant();
        UUID deployment = deployment("secret", owner.id);
        UUID replica = replica(deployment, 0, "READY", secret.uri());

        // listed once the gateway read the deployment, served once it also probed the new replica's endpoint
        awaitWithin(Duration.ofSeconds(2),
                () -> models(owner).contains("\"secret\"") && chat(owner, "secret", "warm up").statusCode() == 200);
        assertThat(models(other)).doesNotContain("\"secret\"").contains("\"routed\"");
        var refused = chat(other, "secret", "hello there");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body()).contains("model_not_found");

        var served = chat(owner, "secret", "hello there");
        assertThat(served.statusCode()).isEqualTo(200);
        String requestId = served.headers().firstValue("x-request-id").orElseThrow();
        assertThat(TestRows.one("SELECT deployment_id, replica_id, endpoint FROM usage_record WHERE request_id = ?", requestId))
                .containsEntry("deployment_id", deployment.toString())
                .containsEntry("replica_id", replica.toString())
                .containsEntry("endpoint", secret.uri().toString());
        assertThat(TestRows.one("SELECT deployment_id FROM usage_ledger WHERE request_id = ?", requestId))
                .containsEntry("deployment_id", deployment.toString());
        String recorded = TestRows.one("SELECT count(*) AS n FROM usage_record WHERE deployment_id = ?", deployment).get("n");
        assertThat(recorded).isNotEqualTo("0"); // the warm-up's and this one
        assertThat(TestRows.one("SELECT sum(requests) AS requests FROM deployment_daily WHERE deployment_id = ?", deployment))
                .containsEntry("requests", recorded);

        TestRows.execute("UPDATE deployment SET state = 'DELETING' WHERE id = ?", deployment);
        awaitWithin(Duration.ofSeconds(2), () -> chat(owner, "secret", "hello again").statusCode() == 404);
    }

    @Test
    void aPrivateDeploymentTakesPrecedenceOverASharedOneOfTheSameName() throws Exception {
        Tenant owner = tenant();
        Tenant other = tenant();
        UUID shared = deployment("routed", null);
        for (EngineProcess engine : List.of(e1, e2, e3)) {
            replica(shared, List.of(e1, e2, e3).indexOf(engine), "READY", engine.uri());
        }
        UUID own = deployment("routed", owner.id);
        replica(own, 0, "READY", e2.uri());

        awaitWithin(Duration.ofSeconds(2), () -> deploymentOf(chat(owner, "routed", "which one")).equals(own.toString()));
        assertThat(deploymentOf(chat(other, "routed", "which one"))).isEqualTo(shared.toString());
        // gone again, so that "routed" of the other tests is the static route and not this test's deployment
        TestRows.execute("UPDATE deployment SET state = 'DELETED' WHERE id IN (?, ?)", shared, own);
    }

    @Test
    void aDrainingReplicaTakesNoNewRequests() throws Exception {
        Tenant tenant = tenant();
        UUID deployment = deployment("routed", tenant.id);
        UUID ready = replica(deployment, 0, "READY", e1.uri());
        replica(deployment, 1, "DRAINING", e3.uri());
        awaitWithin(Duration.ofSeconds(2), () -> deploymentOf(chat(tenant, "routed", "warm up")).equals(deployment.toString()));

        for (int i = 0; i < 8; i++) {
            var response = chat(tenant, "routed", "question number " + i + " " + UUID.randomUUID());
            assertThat(rowOf(response)).containsEntry("replica_id", ready.toString());
        }
    }

    @Test
    void requestsFailOverFromARefusedEndpointBeforeAnythingWasSent() throws Exception {
        Tenant tenant = tenant();
        UUID deployment = deployment("routed", tenant.id);
        replica(deployment, 0, "READY", URI.create("http://127.0.0.1:1"));
        UUID live = replica(deployment, 1, "READY", e1.uri());
        awaitWithin(Duration.ofSeconds(2), () -> {
            var warmUp = chat(tenant, "routed", "warm up");
            return warmUp.statusCode() == 200 && deploymentOf(warmUp).equals(deployment.toString());
        });

        for (int i = 0; i < 6; i++) {
            var response = chat(tenant, "routed", "failover " + i + " " + UUID.randomUUID());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(rowOf(response)).containsEntry("replica_id", live.toString());
        }
        assertThat(metrics()).contains("gateway_endpoint_up{endpoint=\"http://127.0.0.1:1\"} 0.0");
    }

    @Test
    void anEngineKilledIsEjectedWithinTwoSecondsAndBackAfterItReturns() throws Exception {
        Tenant tenant = tenant();
        UUID deployment = deployment("secret", tenant.id);
        replica(deployment, 0, "READY", secret.uri());
        awaitWithin(Duration.ofSeconds(2), () -> chat(tenant, "secret", "before").statusCode() == 200);
        String up = "gateway_endpoint_up{endpoint=\"" + secret.uri() + "\"} ";

        secret.kill();
        awaitWithin(Duration.ofSeconds(2), () -> metrics().contains(up + "0.0"));
        assertThat(chat(tenant, "secret", "while gone").statusCode()).isEqualTo(503);

        secret.restart().awaitReady();
        awaitWithin(Duration.ofSeconds(5), () -> metrics().contains(up + "1.0"));
        assertThat(chat(tenant, "secret", "after").statusCode()).isEqualTo(200);
    }

    @Test
    void aBurstOfFiftySimultaneousRequestsIsSpreadByInFlightCount() throws Exception {
        Tenant tenant = tenant();
        String prompt = "one hot system prompt " + UUID.randomUUID() + " ".repeat(200);
        // the three engines healthy in the gateway's view (it may have just started, or a test before may have ejected one)
        awaitWithin(Duration.ofSeconds(5), () -> Stream.of(e1, e2, e3).allMatch(e -> monitor.of(e.uri()).available()));
        List<Callable<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(() -> chat(tenant, "routed", prompt, 40));
        }
        Map<String, Integer> perEndpoint = new HashMap<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<HttpResponse<String>> done : clients.invokeAll(burst)) {
                var response = done.get();
                assertThat(response.statusCode()).isEqualTo(200);
                perEndpoint.merge(rowOf(response).get("endpoint"), 1, Integer::sum);
            }
        }
        assertThat(perEndpoint).as("requests per endpoint").hasSize(3);
        assertThat(perEndpoint.values()).as("requests per endpoint: %s", perEndpoint).allMatch(n -> n >= 10);
    }

    @Test
    void followUpTurnsOfAConversationLandWhereItsPrefixIsCached() throws Exception {
        Tenant tenant = tenant();
        for (int conversation = 0; conversation < 4; conversation++) {
            ArrayNode messages = json.createArrayNode();
            messages.addObject().put("role", "system").put("content", "You answer for team " + UUID.randomUUID() + ". "
                    + "Be brief and exact. ".repeat(60));
            String firstEndpoint = null;
            for (int turn = 0; turn < 4; turn++) {
                messages.addObject().put("role", "user").put("content", "Question " + turn + " of conversation " + conversation);
                ObjectNode body = json.createObjectNode().put("model", "routed").put("max_tokens", 2);
                body.set("messages", messages);
                var response = calls.send(port, "POST", "/v1/chat/completions", tenant.key, body.toString());
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode answer = json.readTree(response.body());
                messages.addObject().put("role", "assistant").put("content", answer.at("/choices/0/message/content").asString());
                Map<String, String> row = rowOf(response);
                if (turn == 0) {
                    firstEndpoint = row.get("endpoint");
                } else {
                    assertThat(row.get("endpoint")).as("turn %d of conversation %d", turn, conversation).isEqualTo(firstEndpoint);
                    assertThat(Long.parseLong(row.get("prompt_cache_hit_tokens"))).as("cached tokens of turn %d", turn).isPositive();
                }
            }
        }
        assertThat(metrics()).contains("gateway_routing_decisions_total{model=\"routed\",reason=\"prefix-hit\"}",
                "gateway_tokens_total{kind=\"cached\",model=\"routed\"}", "gateway_requests_total{endpoint=\"http://127.0.0.1:",
                "gateway_queue_depth{model=\"routed\"} 0.0");
    }

    @Test
    void aReplicaRefusingNewWorkWith503Or429IsFailedOverBeforeAnythingWasSentAndIsNotEjected() throws Exception {
        for (EngineProcess narrow : List.of(narrow503, narrow429)) {
            Tenant tenant = tenant();
            UUID deployment = deployment("routed", tenant.id);
            replica(deployment, 0, "READY", narrow.uri());
            awaitWithin(Duration.ofSeconds(2), () -> deploymentOf(chat(tenant, "routed", "warm up")).equals(deployment.toString()));
            List<String> prefixes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String prefix = "Conversation " + i + " " + UUID.randomUUID() + ". " + "Answer from the documents. ".repeat(30);
                prefixes.add(prefix);
                assertThat(rowOf(chat(tenant, "routed", prefix + "first"))).as("the only replica yet holds every prefix")
                        .containsEntry("endpoint", narrow.uri().toString());
            }
            replica(deployment, 1, "READY", e2.uri());
            awaitWithin(Duration.ofSeconds(3), () -> rowOf(chat(tenant, "routed", "where " + UUID.randomUUID())).get("endpoint")
                    .equals(e2.uri().toString()));

            InputStream occupying = occupyTheOnlySlot(narrow);
            try {
                for (String prefix : prefixes) {
                    awaitWithin(Duration.ofSeconds(2), () -> monitor.of(narrow.uri()).available());
                    var response = chat(tenant, "routed", prefix + "second");
                    String requestId = response.headers().firstValue("x-request-id").orElseThrow();

                    assertThat(rowOf(response)).as("served by the other replica").containsEntry("endpoint", e2.uri().toString());
                    JsonNode refused = json.readTree(get(narrow.uri().resolve("/engine/requests/" + requestId)).body());
                    assertThat(refused.path("state").asString()).as("%s was tried first and refused at once", narrow.uri())
                            .isEqualTo("failed");
                    assertThat(refused.at("/usage/completion_tokens").asInt()).isZero();
                }
            } finally {
                occupying.close();
            }
            assertThat(monitor.of(narrow.uri()).ejected()).as("a replica refusing new work is not at fault").isFalse();
        }
    }

    @Test
    void aStreamThatFailsAfterItsFirstTokenIsNotRetriedAndIsBilledWhatWasProduced() throws Exception {
        Tenant tenant = tenant();
        UUID deployment = deployment("routed", tenant.id);
        replica(deployment, 0, "READY", narrow503.uri());
        replica(deployment, 1, "READY", narrow429.uri());
        awaitWithin(Duration.ofSeconds(2), () -> deploymentOf(chat(tenant, "routed", "warm up")).equals(deployment.toString()));
        ObjectNode body = json.createObjectNode().put("model", "routed").put("stream", true).put("max_tokens", 200);
        body.putArray("messages").addObject().put("role", "user").put("content", "a long answer " + UUID.randomUUID());
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + tenant.key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofLines());
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();

        EngineProcess killed = null;
        int tokens = 0;
        List<String> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                events.add(line);
                if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                    tokens++;
                }
                if (tokens == 3 && killed == null) {
                    killed = get(narrow503.uri().resolve("/engine/requests/" + requestId)).statusCode() == 200 ? narrow503 : narrow429;
                    killed.kill();
                }
            }
        }
        EngineProcess other = killed == narrow503 ? narrow429 : narrow503;
        try {
            assertThat(events.getLast()).as("the stream ends with an error event").contains("\"code\":\"engine_error\"");
            assertThat(events).noneMatch(e -> e.contains("[DONE]"));
            assertThat(get(other.uri().resolve("/engine/requests/" + requestId)).statusCode())
                    .as("never sent again to the other replica").isEqualTo(404);
            Map<String, String> row = TestRows.one("SELECT endpoint, outcome, completion_tokens FROM usage_record WHERE request_id = ?",
                    requestId);
            assertThat(row).containsEntry("endpoint", killed.uri().toString()).containsEntry("outcome", "ENGINE_ERROR");
            assertThat(Integer.parseInt(row.get("completion_tokens"))).as("billed the tokens the engine produced before it died")
                    .isEqualTo(tokens);
        } finally {
            killed.restart().awaitReady();
            String up = "gateway_endpoint_up{endpoint=\"" + killed.uri() + "\"} ";
            awaitWithin(Duration.ofSeconds(5), () -> metrics().contains(up + "1.0"));
        }
    }

    /** A long streamed request sent to {@code engine} itself, holding its one slot until the stream is closed. */
    private static InputStream occupyTheOnlySlot(EngineProcess engine) throws Exception {
        String body = "{\"model\":\"routed\",\"stream\":true,\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"hold\"}]}";
        InputStream stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(engine.uri().resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body();
        awaitWithin(Duration.ofSeconds(5), () -> json.readTree(get(engine.uri().resolve("/engine/status")).body()).path("running").asInt() == 1);
        return stream;
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleReadsEveryEndpointsHealthAndLoadAndATenantsOwnMinuteCountersWithItsSecretOnly() throws Exception {
        Tenant tenant = tenant();
        Tenant other = tenant();
        TestRows.execute("INSERT INTO limit_policy (tenant_id, requests_per_minute, tokens_per_minute, max_concurrent_requests)"
                + " VALUES (?, 100, 100000, 5)", tenant.id);
        TestRows.execute("INSERT INTO limit_policy (tenant_id, requests_per_minute) VALUES (?, 7)", other.id);
        UUID deployment = deployment("fleet-" + tenant.id, tenant.id);
        replica(deployment, 0, "READY", secret.uri());
        awaitWithin(Duration.ofSeconds(2), () -> models(tenant).contains("fleet-" + tenant.id));
        assertThat(chat(tenant, "routed", "count me").statusCode()).isEqualTo(200);
        assertThat(chat(tenant, "routed", "and me").statusCode()).isEqualTo(200);

        assertThat(calls.send(port, "GET", "/console/fleet", null, null).statusCode()).isEqualTo(401);
        assertThat(calls.send(port, "GET", "/console/fleet", "not-the-console-secret", null).statusCode()).isEqualTo(401);
        assertThat(calls.send(port, "GET", "/console/fleet", tenant.key, null).statusCode()).as("an API key is not the console's secret")
                .isEqualTo(401);
        List<String> live = List.of(e1, e2, e3, secret).stream().map(e -> e.uri().toString()).toList();
        awaitWithin(Duration.ofSeconds(5), () -> fleet().stream().filter(e -> live.contains(e.get("endpoint").asString()))
                .filter(e -> e.path("engineLoad").isObject() && e.get("health").asString().equals("available")).count() == 4);
        List<JsonNode> fleet = fleet();
        // an endpoint nothing listens on (another test's) is ejected
        fleet.stream().filter(e -> e.get("endpoint").asString().equals("http://127.0.0.1:1"))
                .forEach(dead -> assertThat(dead.get("health").asString()).isEqualTo("ejected"));
        awaitWithin(Duration.ofSeconds(5), () -> fleet().stream().filter(e -> e.get("endpoint").asString().equals(secret.uri().toString()))
                .anyMatch(e -> e.get("serves").toString().contains(deployment.toString()) && e.get("serves").toString().contains(tenant.id.toString())));
        JsonNode routed = fleet.stream().filter(e -> e.get("endpoint").asString().equals(e1.uri().toString())).findFirst().orElseThrow();
        assertThat(routed.get("serves").get(0).get("model").asString()).isEqualTo("routed");
        assertThat(routed.get("engineLoad").has("running")).isTrue();
        // the engine's own count, polled: it may still show this test's last request for a poll or two
        awaitWithin(Duration.ofSeconds(3), () -> fleet().stream().filter(e -> e.get("endpoint").asString().equals(e1.uri().toString()))
                .allMatch(e -> e.get("engineLoad").get("running").asInt() == 0));

        JsonNode use = json.readTree(calls.send(port, "GET", "/console/tenants/" + tenant.id + "/limit-use", CONSOLE_SECRET, null).body());
        assertThat(use.get("policies")).hasSize(1);
        JsonNode policy = use.get("policies").get(0);
        assertThat(policy.get("requestsPerMinute").get("limit").asLong()).isEqualTo(100);
        // both requests fall in this minute unless it turned between them
        assertThat(policy.get("requestsPerMinute").get("used").asLong()).isBetween(1L, 2L);
        assertThat(policy.get("tokensPerMinute").get("used").asLong()).isPositive();
        assertThat(policy.get("concurrentRequests").get("limit").asLong()).isEqualTo(5);
        assertThat(policy.get("concurrentRequests").get("used").asLong()).isZero();
        assertThat(use.toString()).doesNotContain(other.id.toString());
        assertThat(calls.send(port, "GET", "/console/tenants/" + UUID.randomUUID() + "/limit-use", CONSOLE_SECRET, null).statusCode())
                .isEqualTo(404);
    }

    private List<JsonNode> fleet() {
        List<JsonNode> all = new ArrayList<>();
        json.readTree(calls.send(port, "GET", "/console/fleet", CONSOLE_SECRET, null).body()).forEach(all::add);
        return all;
    }

    private record Tenant(UUID id, String key) {
    }

    private static Tenant tenant() throws SQLException {
        UUID id = UUID.randomUUID();
        String key = ApiKeySecret.generate();
        TestRows.execute("INSERT INTO tenant (id, name) VALUES (?, ?)", id, "routing-it-" + id);
        TestRows.key(UUID.randomUUID(), id, key);
        return new Tenant(id, key);
    }

    /** A deployment as the reconciler writes it; {@code tenant} null for a shared one. */
    private static UUID deployment(String servedName, UUID tenant) throws SQLException {
        UUID id = UUID.randomUUID();
        TestRows.execute("""
                INSERT INTO deployment (id, name, tenant_id, model, served_model_name, target, runtime, accelerator_vendor,
                    accelerators_per_replica, precision, context_length, replicas, state, created_by)
                VALUES (?, ?, ?, 'demo-moe', ?, 'local', 'simulated', 'cpu', 0, 'q8_0', 8192, 2, 'READY', 'routing-it')""",
                id, "d-" + id.toString().substring(0, 8), tenant, servedName);
        return id;
    }

    private static UUID replica(UUID deployment, int ordinal, String state, URI endpoint) throws SQLException {
        UUID id = UUID.randomUUID();
        TestRows.execute("""
                INSERT INTO deployment_replica (id, deployment_id, ordinal, state, endpoint, accelerators, started_at, ready_at)
                VALUES (?, ?, ?, ?, ?, 0, now(), now())""", id, deployment, ordinal, state, endpoint.toString());
        return id;
    }

    private HttpResponse<String> chat(Tenant tenant, String model, String content) {
        return chat(tenant, model, content, 2);
    }

    private HttpResponse<String> chat(Tenant tenant, String model, String content, int maxTokens) {
        ObjectNode body = json.createObjectNode().put("model", model).put("max_tokens", maxTokens);
        body.putArray("messages").addObject().put("role", "user").put("content", content);
        return calls.send(port, "POST", "/v1/chat/completions", tenant.key, body.toString());
    }

    private String models(Tenant tenant) {
        return calls.send(port, "GET", "/v1/models", tenant.key, null).body();
    }

    private String metrics() {
        return calls.send(port, "GET", "/metrics", null, null).body();
    }

    private static Map<String, String> rowOf(HttpResponse<String> response) throws SQLException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestRows.one("SELECT deployment_id, replica_id, endpoint, prompt_cache_hit_tokens FROM usage_record WHERE request_id = ?",
                response.headers().firstValue("x-request-id").orElseThrow());
    }

    /**
     * The deployment that served {@code response}; {@code none} when it was refused, as when the gateway read a
     * deployment between the test's inserts of it and of its replicas (a deployment without replicas has no engine).
     */
    private static String deploymentOf(HttpResponse<String> response) throws SQLException {
        return response.statusCode() == 200 ? String.valueOf(rowOf(response).get("deployment_id")) : "none";
    }

    /** Polls {@code condition} until it holds, failing the test when it still does not after {@code limit}. */
    private static void awaitWithin(Duration limit, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.call()) {
            assertThat(Instant.now()).as("condition still false after " + limit).isBefore(deadline);
            EngineProcess.sleep(50);
        }
    }
}
