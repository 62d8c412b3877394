package io.maas.tenant.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.tenant.Api;
import io.maas.tenant.ServiceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Private deployments on the local target, end to end: real engine-adapter processes started by the
 * reconciler, their replica rows as gateways read them, events, scaling with drain, delete without
 * orphans; fit refusals and validation through the REST API; who may see what.
 */
class DeploymentsIT extends ServiceTest {

    private static final String ENGINE_SECRET = "deployments-it-engine-secret";

    @DynamicPropertySource
    static void engineSecret(DynamicPropertyRegistry registry) {
        registry.add("platform.deployments.local.engine-secret", () -> ENGINE_SECRET);
    }

    @BeforeEach
    void catalogPriced() {
        everyCallerPays("demo-moe", "deepseek-r1");
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void twoSimulatedReplicasComeUpScaleToOneAndLeaveNoProcessWhenDeleted() throws Exception {
        UUID tenant = tenant("dep");
        var created = admin().post("/api/v1/deployments", """
                {"name":"sim-%s","tenantId":"%s","model":"demo-moe","servedModelName":"private-demo","runtime":"simulated","replicas":2,
                 "costPerAcceleratorHour":{"amount":"2","currency":"USD"}}""".formatted(suffix(), tenant));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asString());
        assertThat(created.json().get("state").asString()).isEqualTo("PENDING");
        assertThat(created.json().get("fit").get("choice").asString()).contains("chosen by fit over target local's inventory");

        JsonNode ready = await(id, d -> d.get("state").asString().equals("READY"), Duration.ofMinutes(3));
        List<JsonNode> replicas = list(ready.get("replicaList"));
        assertThat(replicas).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("state").asString()).isEqualTo("READY");
            assertThat(r.get("startedAt").isNull()).isFalse();
            assertThat(r.get("readyAt").isNull()).isFalse();
        });
        for (JsonNode replica : replicas) {
            URI models = URI.create(replica.get("endpoint").asString() + "/v1/models");
            var withSecret = HTTP.send(HttpRequest.newBuilder(models).header("Authorization", "Bearer " + ENGINE_SECRET).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withSecret.body()).contains("private-demo");
            // a replica admits the gateways' secret and nobody else
            assertThat(HTTP.send(HttpRequest.newBuilder(models).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
        assertThat(Replicas.of(id)).hasSize(2);
        assertThat(reasons(id)).contains("Created", "Provisioning", "Started", "Ready");

        var scaled = admin().send("PATCH", "/api/v1/deployments/" + id, "{\"replicas\":1}");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        Instant drainSeen = null;
        Instant gone = null;
        Instant deadline = Instant.now().plusSeconds(60);
        while (gone == null && Instant.now().isBefore(deadline)) {
            JsonNode leaving = list(get(id).get("replicaList")).stream().filter(r -> r.get("ordinal").asInt() == 1).findFirst().orElse(null);
            if (leaving == null) {
                gone = Instant.now();
            } else if (leaving.get("state").asString().equals("DRAINING") && drainSeen == null) {
                drainSeen = Instant.now();
            }
            Thread.sleep(100);
        }
        assertThat(drainSeen).as("replica 1 was DRAINING before it stopped").isNotNull();
        assertThat(Duration.between(drainSeen, gone)).as("gateways poll every second: DRAINING lasts").isGreaterThan(Duration.ofMillis(2000));
        awaitProcesses(id, 1);
        assertThat(get(id).get("state").asString()).isEqualTo("READY");

        var deleted = admin().send("DELETE", "/api/v1/deployments/" + id, null);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.json().get("state").asString()).isEqualTo("DELETING");
        await(id, d -> d.get("state").asString().equals("DELETED"), Duration.ofMinutes(1));
        awaitProcesses(id, 0);
        assertThat(reasons(id)).contains("Scaled", "Draining", "Stopped", "Deleting", "Deleted");
        assertThat(get(id).get("replicaList").size()).isZero();
        assertThat(admin().get("/api/v1/audit-events?tenantId=" + tenant).body()).contains("deployment.create", "deployment.update",
                "deployment.delete", "deployment/" + id);
    }

    @Test
    void theDemoModelOnLlamaCppAnswers() throws Exception {
        var created = admin().post("/api/v1/deployments", "{\"name\":\"demo-" + suffix() + "\",\"model\":\"demo-moe\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asString());
        assertThat(created.json().get("runtime").asString()).isEqualTo("llamacpp");
        assertThat(created.json().get("precision").asString()).isEqualTo("f32");
        Instant asked = Instant.now();

        JsonNode ready = await(id, d -> d.get("state").asString().equals("READY"), Duration.ofMinutes(3));
        System.out.println("demo-moe replica READY " + Duration.between(asked, Instant.now()).toMillis() + " ms after the request");
        String endpoint = ready.get("replicaList").get(0).get("endpoint").asString();
        var answer = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ENGINE_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"demo-moe\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":4}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(reasons(id)).contains("Loading", "Ready");

        admin().send("DELETE", "/api/v1/deployments/" + id, null);
        await(id, d -> d.get("state").asString().equals("DELETED"), Duration.ofMinutes(1));
        awaitProcesses(id, 0);
    }

    @Test
    void aDeploymentThatDoesNotFitIsRefusedWithTheBreakdown() {
        var refused = admin().post("/api/v1/deployments", """
                {"name":"r1-%s","model":"deepseek-r1","runtime":"simulated","precision":"bf16",
                 "accelerator":{"vendor":"nvidia","type":"h100","countPerReplica":8},"replicas":0}""".formatted(suffix()));
        var accepted = admin().post("/api/v1/deployments", """
                {"name":"r1-%s","model":"deepseek-r1","runtime":"simulated","precision":"fp8",
                 "accelerator":{"vendor":"nvidia","type":"h200","countPerReplica":8},"replicas":0}""".formatted(suffix()));

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonNode fit = refused.json().get("fit");
        assertThat(refused.json().get("field").asString()).isEqualTo("accelerator.countPerReplica");
        assertThat(fit.get("fits").asBoolean()).isFalse();
        assertThat(fit.get("weightsGiB").asDouble()).isGreaterThan(fit.get("usableGiB").asDouble());
        assertThat(fit.has("kvCacheGiB") && fit.has("activationsGiB") && fit.has("reserveGiB")).isTrue();
        assertThat(fit.get("minimumDevices").asInt()).isEqualTo(32);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(accepted.json().get("fit").get("report").get("fits").asBoolean()).isTrue();
    }

    @Test
    void aPlanSaysWhatCreatingWouldDeployAndStoresNothing() {
        String name = "plan-" + suffix();
        var oneClick = admin().post("/api/v1/deployments/plan", "{\"name\":\"" + name + "\",\"model\":\"demo-moe\",\"runtime\":\"simulated\"}");
        assertThat(oneClick.status()).as(oneClick.body()).isEqualTo(200);
        assertThat(oneClick.json().get("choice").asString()).contains("chosen by fit over target local's inventory");
        assertThat(oneClick.json().get("fit").get("fits").asBoolean()).isTrue();
        assertThat(oneClick.json().get("fit").get("usableGiB").asDouble()).isPositive();
        assertThat(oneClick.json().get("accelerator").get("vendor").asString()).isEqualTo("cpu");
        assertThat(admin().get("/api/v1/deployments").body()).doesNotContain(name);

        var refused = admin().post("/api/v1/deployments/plan", """
                {"name":"%s","model":"deepseek-r1","runtime":"simulated","precision":"bf16",
                 "accelerator":{"vendor":"nvidia","type":"h100","countPerReplica":8}}""".formatted(name));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().get("fit").get("minimumDevices").asInt()).isEqualTo(32);
        assertProblem(admin().post("/api/v1/deployments/plan", "{\"name\":\"Not A Label\",\"model\":\"demo-moe\"}"), 400, "name");
        assertThat(as(user("FINANCE", null)).post("/api/v1/deployments/plan", "{\"name\":\"x\",\"model\":\"demo-moe\"}").status())
                .isEqualTo(403);
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String name = "dup-" + suffix();
        assertThat(admin().post("/api/v1/deployments", "{\"name\":\"" + name + "\",\"model\":\"demo-moe\",\"runtime\":\"simulated\",\"replicas\":0}")
                .status()).isEqualTo(201);

        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"" + name + "\",\"model\":\"demo-moe\",\"replicas\":0}"), 409, "name");
        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"x\",\"model\":\"gpt-5\"}"), 400, "model");
        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"Not A Label\",\"model\":\"demo-moe\"}"), 400, "name");
        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"x\",\"model\":\"demo-moe\",\"replicas\":100}"), 400, "replicas");
        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"x\",\"model\":\"deepseek-r1\",\"runtime\":\"vllm-kunlun\","
                + "\"accelerator\":{\"vendor\":\"nvidia\",\"type\":\"h200\",\"countPerReplica\":8},\"precision\":\"fp8\"}"), 422, "runtime");
        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"x\",\"model\":\"demo-moe\",\"target\":\"kubernetes\"}"), 422, "target");
        assertProblem(admin().post("/api/v1/deployments", "{\"name\":\"x\",\"model\":\"deepseek-r1\",\"runtime\":\"vllm\","
                + "\"accelerator\":{\"vendor\":\"nvidia\",\"type\":\"h200\",\"countPerReplica\":8},\"precision\":\"fp8\"}"), 422, "accelerator");
    }

    @Test
    void rolesReadWhatTheyMayAndOnlyTheAdminChanges() {
        UUID tenant = tenant("dep-roles");
        var created = admin().post("/api/v1/deployments", """
                {"name":"roles-%s","tenantId":"%s","model":"demo-moe","runtime":"simulated","replicas":0}""".formatted(suffix(), tenant));
        String id = created.json().get("id").asString();
        Api tenantAdmin = as(user("TENANT_ADMIN", tenant));
        Api tenantFinance = as(user("TENANT_FINANCE", tenant));
        Api finance = as(user("FINANCE", null));
        Api developer = as(user("DEVELOPER", tenant));

        assertThat(tenantAdmin.get("/api/v1/deployments/" + id).status()).isEqualTo(200);
        assertThat(tenantFinance.get("/api/v1/deployments").body()).contains(id);
        assertThat(finance.get("/api/v1/deployments/" + id + "/events").status()).isEqualTo(200);
        assertThat(developer.get("/api/v1/deployments/" + id).status()).isEqualTo(403);
        assertThat(tenantAdmin.send("PATCH", "/api/v1/deployments/" + id, "{\"replicas\":1}").status()).isEqualTo(403);
        assertThat(finance.send("DELETE", "/api/v1/deployments/" + id, null).status()).isEqualTo(403);
        assertThat(tenantAdmin.post("/api/v1/deployments", "{\"name\":\"mine\",\"tenantId\":\"" + tenant + "\",\"model\":\"demo-moe\"}").status())
                .isEqualTo(403);
        assertThat(admin().send("PATCH", "/api/v1/deployments/" + id, "{\"costPerAcceleratorHour\":{\"amount\":\"1.5\",\"currency\":\"USD\"}}")
                .json().get("costPerAcceleratorHour").get("amount").asDouble()).isEqualTo(1.5);
    }

    @Test
    void theCatalogListsTheFamilyAndSaysWhichWeightsAreMissing() {
        var catalog = admin().get("/api/v1/catalog").json();
        var r1 = admin().get("/api/v1/catalog/deepseek-r1").json();
        var demo = as(user("DEVELOPER", tenant("cat"))).get("/api/v1/catalog/demo-moe").json();

        assertThat(list(catalog).stream().map(e -> e.get("id").asString())).contains("deepseek-v3", "deepseek-r1", "deepseek-r1-0528",
                "deepseek-v3.1", "deepseek-v2-lite", "deepseek-r1-distill-qwen-1.5b", "deepseek-r1-distill-qwen-7b",
                "deepseek-r1-distill-qwen-14b", "deepseek-r1-distill-qwen-32b", "deepseek-r1-distill-llama-8b",
                "deepseek-r1-distill-llama-70b", "demo-moe");
        assertThat(r1.get("totalParams").asLong()).isEqualTo(671_000_000_000L);
        assertThat(r1.get("activeParams").asLong()).isEqualTo(37_000_000_000L);
        assertThat(r1.get("experts").get("routed").asInt()).isEqualTo(256);
        assertThat(r1.get("experts").get("shared").asInt()).isEqualTo(1);
        assertThat(r1.get("experts").get("perToken").asInt()).isEqualTo(8);
        assertThat(r1.get("architecture").asString()).isEqualTo("MoE, MLA");
        assertThat(r1.get("contextLength").asInt()).isEqualTo(131_072);
        assertThat(r1.get("reasoning").asBoolean()).isTrue();
        assertThat(r1.get("precisions").toString()).isEqualTo("[\"fp8\",\"bf16\"]");
        assertThat(r1.get("defaultRuntimes").get("nvidia").asString()).isEqualTo("vllm");
        assertThat(r1.get("defaultRuntimes").get("kunlun").asString()).isEqualTo("vllm-kunlun");
        assertThat(r1.get("weights").get("missing").asBoolean()).isTrue();
        assertThat(demo.get("weights").get("source").asString()).isEqualTo("generated");
        assertThat(demo.get("weights").get("missing").asBoolean()).isFalse();
        assertThat(admin().get("/api/v1/catalog/gpt-5").status()).isEqualTo(404);
    }

    private static void assertProblem(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("field").asString()).as(response.body()).isEqualTo(field);
    }

    private JsonNode get(UUID id) {
        return admin().get("/api/v1/deployments/" + id).json();
    }

    private List<String> reasons(UUID id) {
        return list(admin().get("/api/v1/deployments/" + id + "/events").json()).stream().map(e -> e.get("reason").asString()).toList();
    }

    private JsonNode await(UUID id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = get(id);
        while (!condition.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("deployment did not get there in " + timeout + ": " + last + "\nevents: "
                        + admin().get("/api/v1/deployments/" + id + "/events").body());
            }
            Thread.sleep(250);
            last = get(id);
        }
        return last;
    }

    private static void awaitProcesses(UUID id, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(40);
        while (Replicas.of(id).size() != count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(Replicas.of(id)).hasSize(count);
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).collect(Collectors.toCollection(ArrayList::new));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
