package io.maas.tenant.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.db.testing.TestDatabase;
import io.maas.tenant.Api;
import io.maas.tenant.ServiceTest;
import io.maas.tenant.TenantServiceApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A tenant-service restart does not disturb what serves: with replicas that outlive it, the next
 * tenant-service adopts the running processes (same pids, same replica rows, no second copy) instead of
 * starting new ones. Two tenant-service instances run one after the other on the test database; the
 * shared test context's reconciler steps aside meanwhile (one reconciler per database holds the lock).
 */
class ReplicaAdoptionIT extends ServiceTest {

    @BeforeEach
    void catalogPriced() {
        everyCallerPays("demo-moe", "deepseek-r1");
    }

    @Autowired
    Reconciler sharedReconciler;

    @Test
    void aRestartedTenantServiceAdoptsTheRunningReplicas() throws Exception {
        sharedReconciler.stop();
        UUID id = null;
        try {
            Set<Long> pids;
            List<String> replicaIds;
            try (ConfigurableApplicationContext first = start()) {
                Api api = api(first);
                var created = api.post("/api/v1/deployments", """
                        {"name":"adopt-%s","model":"demo-moe","runtime":"simulated","replicas":2}""".formatted(UUID.randomUUID().toString()
                        .substring(0, 8)));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                id = UUID.fromString(created.json().get("id").asString());
                JsonNode ready = await(api, id, "READY");
                replicaIds = replicaIds(ready);
                pids = pids(id);
                assertThat(pids).hasSize(2);
            }
            assertThat(pids(id)).as("the replicas outlive tenant-service").isEqualTo(pids);

            try (ConfigurableApplicationContext second = start()) {
                Api api = api(second);
                Thread.sleep(3000);
                JsonNode after = await(api, id, "READY");

                assertThat(pids(id)).as("no second copy started").isEqualTo(pids);
                assertThat(replicaIds(after)).as("the same replica rows").isEqualTo(replicaIds);
                List<String> reasons = DeploymentsIT.list(api.get("/api/v1/deployments/" + id + "/events").json()).stream()
                        .map(e -> e.get("reason").asString()).toList();
                assertThat(reasons).doesNotContain("Lost").filteredOn("Started"::equals).hasSize(2);

                api.send("DELETE", "/api/v1/deployments/" + id, null);
                await(api, id, "DELETED");
                Instant deadline = Instant.now().plusSeconds(40);
                while (!pids(id).isEmpty() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                assertThat(pids(id)).isEmpty();
            }
        } finally {
            if (id != null) {
                Replicas.of(id).forEach(ProcessHandle::destroyForcibly);
            }
            sharedReconciler.start();
        }
    }

    private static ConfigurableApplicationContext start() {
        TestDatabase db = TestDatabase.get();
        return new SpringApplicationBuilder(TenantServiceApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--platform.tenant.admin-password=" + ADMIN_PASSWORD,
                "--platform.deployments.local.keep-running-on-shutdown=true",
                "--platform.deployments.local.engine-jar=" + System.getProperty("maas.engine.jar", "engine-adapter.jar"),
                "--platform.deployments.local.state-dir=target/adoption",
                "--platform.deployments.local.cache-dir=target/engine-models");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"), "admin", ADMIN_PASSWORD);
    }

    private static JsonNode await(Api api, UUID id, String state) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        JsonNode last = api.get("/api/v1/deployments/" + id).json();
        while (!last.get("state").asString().equals(state)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not " + state + ": " + last + "\n" + api.get("/api/v1/deployments/" + id + "/events").body());
            }
            Thread.sleep(250);
            last = api.get("/api/v1/deployments/" + id).json();
        }
        return last;
    }

    private static List<String> replicaIds(JsonNode deployment) {
        return DeploymentsIT.list(deployment.get("replicaList")).stream().map(r -> r.get("id").asString()).sorted().toList();
    }

    private static Set<Long> pids(UUID id) {
        return Replicas.of(id).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
