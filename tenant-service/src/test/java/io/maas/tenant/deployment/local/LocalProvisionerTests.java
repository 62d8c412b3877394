package io.maas.tenant.deployment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalProvisionerTests {

    private static final UUID ID = UUID.fromString("0b5e2a52-5f3c-4a54-9d57-2f1d6c1c0a01");

    private static LocalProperties properties(boolean keepRunning) {
        return new LocalProperties(true, "/opt/maas/engine-adapter.jar", "/tmp/deploy-tests", "", "/usr/bin/java", List.of("-Xmx160m"),
                keepRunning, Duration.ofSeconds(30), Duration.ofSeconds(1), null);
    }

    private static DeploymentSpec spec(String runtime, String vendor, String weights) {
        return new DeploymentSpec(ID, "acme", 1, null, "deepseek-r1", "r1", weights, runtime, vendor, vendor.equals("cpu") ? null : "h200",
                8, 1, 8, "fp8", 32_768, 2);
    }

    @Test
    void theInventoryIsTheKnownAcceleratorsOfThisMachineAndItsCpu() {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            devices.add(new Device("nvidia", i, "NVIDIA H100 80GB HBM3", 81_559, 0L, 0, null, DeviceHealth.OK));
        }
        devices.add(new Device("nvidia", 8, "NVIDIA GeForce RTX 4080", 16_376, 0L, 0, null, DeviceHealth.OK));
        devices.add(new Device("cpu", 0, "AMD EPYC (2 cores)", 16_000, 1_000L, 5, null, DeviceHealth.OK));

        assertThat(LocalProvisioner.offers(devices)).containsExactly(
                new AcceleratorOffer("nvidia", "h100", 8, 1, "nvidia tool"),
                new AcceleratorOffer("cpu", "cpu", 1, 1, "this machine (AMD EPYC (2 cores))"));
    }

    @Test
    void aLlamaCppReplicaIsTheAdapterWithTheSharedModelCacheAndABoundedHeap() {
        List<String> argv = new LocalProvisioner(properties(false), List::of).command(spec("llamacpp", "cpu", null), 41000);

        assertThat(argv).contains("/usr/bin/java", "-Xmx160m", "-Dmaas.deployment=" + ID, "-jar", "/opt/maas/engine-adapter.jar",
                "--server.port=41000", "--server.address=127.0.0.1", "--platform.engine.runtime=llamacpp",
                "--platform.engine.served-model-name=r1", "--platform.engine.cache-dir=/tmp/deploy-tests/models");
        assertThat(String.join(" ", argv)).doesNotContain("model-path");
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            assertThat(argv).startsWith("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/usr/bin/java");
        }
    }

    @Test
    void replicasThatOutliveTenantServiceRunInTheirOwnSession() {
        List<String> argv = new LocalProvisioner(properties(true), List::of).command(spec("simulated", "cpu", null), 41000);

        assertThat(argv).startsWith("setsid", "/usr/bin/java").contains("--platform.engine.runtime=simulated");
    }

    @Test
    void anExternalEngineIsLaunchedByTheVendorsProvider() {
        List<String> argv = new LocalProvisioner(properties(false), List::of).command(spec("vllm", "nvidia", "/models/DeepSeek-R1"), 41000);

        assertThat(argv).contains("--platform.engine.runtime=external", "--platform.engine.external.launch.vendor=nvidia",
                "--platform.engine.external.launch.engine=vllm", "--platform.engine.external.launch.model-path=/models/DeepSeek-R1",
                "--platform.engine.external.launch.tensor-parallel-size=8", "--platform.engine.external.launch.quantization=fp8",
                "--platform.engine.external.launch.max-model-len=32768");
    }
}
