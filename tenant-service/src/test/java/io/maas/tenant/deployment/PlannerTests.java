package io.maas.tenant.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.accelerators.fit.FitReport;
import io.maas.tenant.catalog.Catalog;
import io.maas.tenant.catalog.CatalogProperties;
import io.maas.tenant.catalog.EngineRuntime;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import io.maas.tenant.deployment.provision.Provisioner;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import io.maas.tenant.system.ApiException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * Fit before anything starts, and one-click, over a stand-in Kubernetes inventory (two node pools, as
 * nodes' allocatable {@code nvidia.com/gpu} would list them) and this machine's CPU.
 */
class PlannerTests {

    record FakeTarget(String target, List<AcceleratorOffer> inventory) implements Provisioner {
        @Override
        public void apply(DeploymentSpec spec) {
        }

        @Override
        public List<ReplicaObservation> observe(DeploymentSpec spec) {
            return List.of();
        }

        @Override
        public void delete(DeploymentSpec spec) {
        }
    }

    static final DeploymentProperties PROPERTIES = new DeploymentProperties(8, Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(1), 3, 1);

    private final Planner planner = new Planner(new Catalog(new CatalogProperties(Map.of())), new Provisioners(List.of(
            new FakeTarget("kubernetes", List.of(
                    new AcceleratorOffer("nvidia", "h100", 8, 4, "nvidia.com/gpu"),
                    new AcceleratorOffer("nvidia", "h200", 8, 2, "nvidia.com/gpu"))),
            new FakeTarget("local", List.of(new AcceleratorOffer("cpu", "cpu", 1, 1, "this machine"))))), PROPERTIES);

    private static DeploymentRequest request(String name, String model, String target, String runtime, DeploymentRequest.Accelerator accelerator,
            String precision, Integer replicas) {
        return new DeploymentRequest(name, null, model, null, target, runtime, accelerator, precision, null, null, replicas, null);
    }

    @Test
    void r1InBf16OnEightH100IsRefusedWithTheBreakdown() {
        var request = request("r1", "deepseek-r1", "kubernetes", null, new DeploymentRequest.Accelerator("nvidia", "h100", 8), "bf16", 1);

        assertThatThrownBy(() -> planner.plan(request)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
            assertThat(e.properties()).containsEntry("field", "accelerator.countPerReplica");
            FitReport fit = (FitReport) e.properties().get("fit");
            assertThat(fit.fits()).isFalse();
            assertThat(fit.weightsGiB()).isGreaterThan(fit.usableGiB());
            assertThat(fit.minimumDevices()).isEqualTo(32);
            assertThat(e.getMessage()).contains("does not fit 8 × h100").contains("it needs 32 h100");
        });
    }

    @Test
    void r1InFp8OnEightH200IsAccepted() {
        Plan plan = planner.plan(request("r1", "deepseek-r1", "kubernetes", null, new DeploymentRequest.Accelerator("nvidia", "h200", 8), "fp8", 1));

        assertThat(plan.fit().fits()).isTrue();
        assertThat(plan.acceleratorsPerReplica()).isEqualTo(8);
        assertThat(plan.runtime()).isEqualTo(EngineRuntime.VLLM);
        assertThat(plan.choice()).startsWith("named in the request");
    }

    @Test
    void oneClickChoosesTheFewestDevicesInTheShippedPrecision() {
        Plan plan = planner.plan(request("r1", "deepseek-r1", "kubernetes", null, null, null, 2));

        assertThat(plan.acceleratorType()).isEqualTo("h200");
        assertThat(plan.precision()).isEqualTo("fp8");
        assertThat(plan.acceleratorsPerReplica()).isEqualTo(8);
        assertThat(plan.nodesPerReplica()).isEqualTo(1);
        assertThat(plan.choice()).contains("chosen by fit over target kubernetes's inventory").contains("the precision it ships in")
                .contains("fp8 on h100: fits 16");
    }

    @Test
    void oneClickSpansNodesOnKubernetesWhenFitSaysSo() {
        Plan plan = planner.plan(request("r1", "deepseek-r1", "kubernetes", null, null, "bf16", 1));

        assertThat(plan.acceleratorType()).isEqualTo("h200");
        assertThat(plan.acceleratorsPerReplica()).isEqualTo(16);
        assertThat(plan.nodesPerReplica()).isEqualTo(2);
    }

    @Test
    void oneClickOnThisMachinePicksTheCpuForTheDemoModel() {
        Plan plan = planner.plan(request("demo", "demo-moe", null, null, null, null, null));

        assertThat(plan.target()).isEqualTo("local");
        assertThat(plan.vendor()).isEqualTo("cpu");
        assertThat(plan.precision()).isEqualTo("f32");
        assertThat(plan.runtime()).isEqualTo(EngineRuntime.LLAMACPP);
        assertThat(plan.replicas()).isEqualTo(1);
    }

    @Test
    void aModelNothingHoldsIsRefusedNamingTheAccelerator() {
        assertThatThrownBy(() -> planner.plan(request("r1", "deepseek-r1", "local", null, null, null, 1)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
                    assertThat(e.properties()).containsEntry("field", "accelerator");
                });
    }

    @Test
    void badInputNamesTheField() {
        assertField(request("Not_A_Label", "demo-moe", null, null, null, null, 1), HttpStatus.BAD_REQUEST, "name");
        assertField(request("x", "gpt-5", null, null, null, null, 1), HttpStatus.BAD_REQUEST, "model");
        assertField(request("x", "demo-moe", null, null, null, null, 9), HttpStatus.BAD_REQUEST, "replicas");
        assertField(request("x", "demo-moe", null, null, null, null, -1), HttpStatus.BAD_REQUEST, "replicas");
        assertField(request("x", "demo-moe", "mars", null, null, null, 1), HttpStatus.BAD_REQUEST, "target");
        assertField(request("x", "demo-moe", null, "tensorrt", null, null, 1), HttpStatus.BAD_REQUEST, "runtime");
        assertField(request("x", "deepseek-r1", "kubernetes", "vllm-kunlun", new DeploymentRequest.Accelerator("nvidia", "h200", 8), "fp8", 1),
                HttpStatus.UNPROCESSABLE_CONTENT, "runtime");
        assertField(request("x", "deepseek-r1", "kubernetes", null, new DeploymentRequest.Accelerator("ascend", "910b", 16), "fp8", 1),
                HttpStatus.UNPROCESSABLE_CONTENT, "precision");
        assertField(request("x", "deepseek-r1", "kubernetes", null, new DeploymentRequest.Accelerator("nvidia", "mi300x", 8), "fp8", 1),
                HttpStatus.BAD_REQUEST, "accelerator.type");
        assertField(request("x", "deepseek-r1-distill-qwen-1.5b", "local", null, null, null, 1), HttpStatus.UNPROCESSABLE_CONTENT, "model");
        assertField(new DeploymentRequest("x", null, "demo-moe", null, null, null, null, null, null, null, 1,
                new DeploymentRequest.Money(new BigDecimal("-1"), "USD")), HttpStatus.BAD_REQUEST, "costPerAcceleratorHour.amount");
    }

    @Test
    void anUnconfiguredTargetIsRefused() {
        Planner localOnly = new Planner(new Catalog(new CatalogProperties(Map.of())), new Provisioners(List.of(
                new FakeTarget("local", List.of()))), PROPERTIES);

        assertThatThrownBy(() -> localOnly.plan(request("x", "deepseek-r1", "kubernetes", "simulated", null, null, 1)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
                    assertThat(e.properties()).containsEntry("field", "target");
                    assertThat(e.getMessage()).contains("platform.deployments.kubernetes.enabled=true");
                });
    }

    @Test
    void aNameTheTargetCannotUseIsRefusedBeforeAnythingStarts() {
        Planner strict = new Planner(new Catalog(new CatalogProperties(Map.of())), new Provisioners(List.of(new Provisioner() {
            @Override
            public String target() {
                return "local";
            }

            @Override
            public List<AcceleratorOffer> inventory() {
                return List.of(new AcceleratorOffer("cpu", "cpu", 1, 1, "this machine"));
            }

            @Override
            public void apply(DeploymentSpec spec) {
            }

            @Override
            public List<ReplicaObservation> observe(DeploymentSpec spec) {
                return List.of();
            }

            @Override
            public void delete(DeploymentSpec spec) {
            }

            @Override
            public void checkName(String name) {
                if (name.length() > 5) {
                    throw new IllegalArgumentException("at most 5 characters here");
                }
            }
        })), PROPERTIES);

        assertThat(strict.plan(request("short", "demo-moe", null, null, null, null, 1)).name()).isEqualTo("short");
        assertThatThrownBy(() -> strict.plan(request("too-long", "demo-moe", null, null, null, null, 1)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.properties()).containsEntry("field", "name");
                    assertThat(e.getMessage()).contains("at most 5 characters here");
                });
    }

    private void assertField(DeploymentRequest request, HttpStatus status, String field) {
        assertThatThrownBy(() -> planner.plan(request)).as(field).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.properties()).as(e.getMessage()).containsEntry("field", field);
        });
    }
}
