package io.maas.tenant.deployment.kubernetes;

import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Deployments as the reconciler would hand them over, one per vendor, and the golden files of their objects. */
final class EngineSpecs {

    static final UUID TENANT = UUID.fromString("5f0c1c9e-2d7a-4c1e-9a57-0b7a3e0d2f11");
    static final AcceleratorProviders PROVIDERS = AcceleratorProviders.load();

    /** DeepSeek-R1 in FP8 on one HGX H200 (8 GPUs) per replica, two replicas, private to a tenant. */
    static final DeploymentSpec NVIDIA = new DeploymentSpec(UUID.fromString("0b6f3c52-8c1e-4a59-9d0e-6f1f8a3b2c01"), "r1-h200", 1,
            TENANT, "deepseek-r1", "deepseek-r1", null, "vllm", "nvidia", "h200", 8, 1, 8, "fp8", 65536, 2);
    /** The Llama-70B distill in W8A8 on four 910B NPUs, shared. */
    static final DeploymentSpec ASCEND = new DeploymentSpec(UUID.fromString("3c1d9e77-41aa-4f0b-8b3e-0a9c5d7e6f02"), "distill-70b-910b", 3,
            null, "deepseek-r1-distill-llama-70b", "deepseek-r1-70b", "DeepSeek-R1-Distill-Llama-70B-W8A8", "vllm-ascend", "ascend",
            "910b", 4, 1, 4, "w8a8", 32768, 1);
    /** DeepSeek-R1 in W8A8-INT8 on one 8-XPU P800 server. */
    static final DeploymentSpec KUNLUN = new DeploymentSpec(UUID.fromString("7a2e4b19-6d3c-4e8f-a1b2-c3d4e5f60703"), "r1-p800", 1,
            TENANT, "deepseek-r1", "deepseek-r1", "/models/DeepSeek-R1-W8A8-INT8", "vllm-kunlun", "kunlun", "p800", 8, 1, 8, "w8a8",
            32768, 1);
    /** DeepSeek-R1 in BF16 over two HGX H100 (2 x 8 GPUs) per replica: a LeaderWorkerSet. */
    static final DeploymentSpec LWS = new DeploymentSpec(UUID.fromString("9e8d7c6b-5a49-4382-9170-6f5e4d3c2b04"), "r1-bf16-h100", 1,
            null, "deepseek-r1", "deepseek-r1-bf16", null, "vllm", "nvidia", "h100", 16, 2, 8, "bf16", 32768, 1);

    private static final Path GOLDEN = Path.of("src/test/resources/kubernetes/golden");

    private EngineSpecs() {
    }

    /** The defaults, bound as Spring binds them with no configuration at all. */
    static KubernetesProperties defaults() {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate("platform.deployments.kubernetes", KubernetesProperties.class);
    }

    static DeploymentSpec withReplicas(DeploymentSpec spec, long generation, int replicas) {
        return new DeploymentSpec(spec.id(), spec.name(), generation, spec.tenantId(), spec.model(), spec.servedModelName(), spec.weights(),
                spec.runtime(), spec.vendor(), spec.acceleratorType(), spec.acceleratorsPerReplica(), spec.nodesPerReplica(),
                spec.tensorParallelSize(), spec.precision(), spec.contextLength(), replicas);
    }

    /**
     * {@code yaml} equals {@code src/test/resources/kubernetes/golden/<name>.yaml} (what it was is kept under
     * {@code target/golden-actual/}). To accept a change, run the test with {@code -Dgolden.update=true}, which rewrites
     * the files, and review their diff.
     */
    static void assertGolden(String name, String yaml) throws Exception {
        Path file = GOLDEN.resolve(name + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml);
        }
        assertThat(file).as("golden file %s; run with -Dgolden.update=true to create it", file).exists();
        Path actual = Path.of("target/golden-actual").resolve(name + ".yaml");
        Files.createDirectories(actual.getParent());
        Files.writeString(actual, yaml);
        assertThat(yaml).as("the objects differ from %s; if the change is intended, run with -Dgolden.update=true and review the diff", file)
                .isEqualTo(Files.readString(file));
    }
}
