package io.maas.tenant.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.tenant.ServiceTest;
import io.maas.tenant.catalog.Catalog;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import io.maas.tenant.deployment.provision.Provisioner;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A replica that keeps crashing is restarted with a back-off that doubles per restart, and after three
 * restarts in a row the deployment is FAILED (crash loop), over the real tables; the target is a stand-in
 * whose replica exits at once. The shared context's reconciler steps aside meanwhile.
 */
class ReconcilerIT extends ServiceTest {

    /** Every replica it starts has exited by the time it is observed. */
    static final class CrashingTarget implements Provisioner {
        int starts;

        @Override
        public String target() {
            return "local";
        }

        @Override
        public List<AcceleratorOffer> inventory() {
            return List.of(new AcceleratorOffer("cpu", "cpu", 1, 1, "test"));
        }

        @Override
        public void apply(DeploymentSpec spec) {
            if (spec.replicas() > 0) {
                starts++;
            }
        }

        @Override
        public List<ReplicaObservation> observe(DeploymentSpec spec) {
            return starts == 0 || spec.replicas() == 0 ? List.of() : List.of(new ReplicaObservation("local-" + spec.name() + "-0-test", 0,
                    ReplicaObservation.Phase.FAILED, null, Instant.now(), starts - 1, "exited with code 1"));
        }

        @Override
        public void delete(DeploymentSpec spec) {
            starts = 0;
        }
    }

    @Autowired
    Reconciler sharedReconciler;
    @Autowired
    DataSource dataSource;
    @Autowired
    DeploymentRows rows;
    @Autowired
    Catalog catalog;

    @Test
    void aStateDerivedBeforeADeleteNeverOverwritesDeleting() {
        UUID id = UUID.fromString(admin().post("/api/v1/deployments", """
                {"name":"race-%s","model":"demo-moe","runtime":"simulated","replicas":0}""".formatted(UUID.randomUUID().toString()
                .substring(0, 8))).json().get("id").asString());
        var seenByAPass = rows.find(id).orElseThrow();
        admin().send("DELETE", "/api/v1/deployments/" + id, null);

        assertThat(rows.setState(id, seenByAPass.generation(), DeploymentState.READY, null)).isFalse();
        assertThat(rows.find(id).orElseThrow().state()).isIn(DeploymentState.DELETING, DeploymentState.DELETED);
    }

    @Test
    void aCrashingReplicaIsRestartedWithGrowingBackOffUntilTheDeploymentIsFailed() throws Exception {
        sharedReconciler.stop();
        CrashingTarget target = new CrashingTarget();
        Reconciler reconciler = new Reconciler(dataSource, rows, new Provisioners(List.of(target)), catalog, new DeploymentProperties(8,
                Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofMinutes(10), Duration.ofMillis(10), Duration.ofSeconds(1), 3, 1));
        UUID id = UUID.fromString(admin().post("/api/v1/deployments", """
                {"name":"crash-%s","model":"demo-moe","runtime":"simulated","replicas":1}""".formatted(UUID.randomUUID().toString()
                .substring(0, 8))).json().get("id").asString());
        try {
            for (int pass = 0; pass < 4; pass++) {
                reconciler.pass();
                Thread.sleep(200);
            }
            reconciler.pass();
            reconciler.pass();

            var deployment = rows.find(id).orElseThrow();
            List<DeploymentView.EventView> events = rows.events(id);
            assertThat(deployment.state()).isEqualTo(DeploymentState.FAILED);
            assertThat(deployment.stateReason()).startsWith("crash loop: replica 0 failed");
            assertThat(events.stream().filter(e -> e.reason().equals("BackOff")).map(e -> e.message().replaceAll(" s .*", " s")))
                    .startsWith("Back-off 0.01 s", "Back-off 0.02 s", "Back-off 0.04 s", "Back-off 0.08 s");
            assertThat(events.stream().filter(e -> e.reason().equals("Restarted"))).hasSizeGreaterThanOrEqualTo(3);
            assertThat(events).filteredOn(e -> e.reason().equals("Failed")).allMatch(e -> e.type().equals("Warning"));
            assertThat(rows.liveReplicas(id)).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo("FAILED");
                assertThat(r.restarts()).isGreaterThanOrEqualTo(3);
                assertThat(r.message()).isEqualTo("exited with code 1");
            });
        } finally {
            admin().send("DELETE", "/api/v1/deployments/" + id, null);
            reconciler.pass();
            Thread.sleep(2600);
            reconciler.pass();
            assertThat(rows.find(id).orElseThrow().state()).isEqualTo(DeploymentState.DELETED);
            sharedReconciler.start();
        }
    }
}
