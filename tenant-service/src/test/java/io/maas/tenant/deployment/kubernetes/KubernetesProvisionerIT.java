package io.maas.tenant.deployment.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import io.maas.tenant.deployment.provision.ReplicaObservation.Phase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.maas.tenant.deployment.kubernetes.EngineSpecs.ASCEND;
import static io.maas.tenant.deployment.kubernetes.EngineSpecs.KUNLUN;
import static io.maas.tenant.deployment.kubernetes.EngineSpecs.LWS;
import static io.maas.tenant.deployment.kubernetes.EngineSpecs.NVIDIA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The kubernetes provisioner against fabric8's mock API server in CRUD mode, which stores objects but runs no controllers.
 * A server per test, made here rather than by {@code @EnableKubernetesMockClient}, so that its shutdown, which waits a
 * bounded time for every connection to close, cannot fail a test that passed when a loaded machine is slow to close the
 * pod watch.
 */
class KubernetesProvisionerIT {

    private static final String NS = "maas-engines";
    /** The mock server logs every request at INFO; kept here so the level holds (JUL keeps loggers weakly). */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    KubernetesMockServer server;
    KubernetesClient client;
    private KubernetesProvisioner provisioner;

    @BeforeEach
    void provisioner() {
        // CRUD, with the expectations a test sets answered first (as @EnableKubernetesMockClient(crud = true) sets it up)
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
        server.init();
        client = server.createClient();
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("leaderworkerset.x-k8s.io")
                .withVersion("v1").withKind("LeaderWorkerSet").withPlural("leaderworkersets").withScope("Namespaced").build());
        provisioner = new KubernetesProvisioner(client, EngineSpecs.defaults(), EngineSpecs.PROVIDERS);
    }

    /** Before the extension stops the mock server, which waits for every connection to close (the pod watch, idle ones). */
    @AfterEach
    void close() {
        provisioner.close();
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowToClose) {
            MOCK_SERVER_LOG.warning("mock API server closed with a connection still open: " + slowToClose.getMessage());
        }
    }

    @Test
    void nvidiaReplicasAreADeploymentOfTheAdapterRunningVllmOnEightGpusOfTheRightModel() throws Exception {
        provisioner.apply(NVIDIA);

        Deployment deployment = deployment(NVIDIA);
        assertThat(deployment.getMetadata().getLabels()).containsEntry("maas.io/deployment", NVIDIA.id().toString())
                .containsEntry("maas.io/tenant", EngineSpecs.TENANT.toString()).containsEntry("app.kubernetes.io/managed-by", "maas-tenant-service");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("maas.io/deployment", NVIDIA.id().toString()));
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("nvidia.com/gpu.product", "NVIDIA-H200"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        // 15 s preStop + 5 min drain + 30 s for the engine to stop
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(345L);
        Container engine = pod.getContainers().getFirst();
        assertThat(engine.getImage()).isEqualTo("maas/engine-vllm:0.1.0");
        assertThat(engine.getResources().getLimits()).isEqualTo(Map.of("nvidia.com/gpu", new Quantity("8")));
        assertThat(engine.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(engine.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(env(engine)).containsEntry("PLATFORM_ENGINE_RUNTIME", "external")
                .containsEntry("SERVER_ADDRESS", "0.0.0.0").containsEntry("PLATFORM_ENGINE_SECRET", "secret:maas-engine/ENGINE_SECRET")
                .containsEntry("PLATFORM_ENGINE_SERVED_MODEL_NAME", "deepseek-r1")
                .containsEntry("PLATFORM_ENGINE_EXTERNAL_START_TIMEOUT", "3600s");
        assertThat(command(engine)).isEqualTo("vllm serve /models/deepseek-r1 --served-model-name deepseek-r1 --host 127.0.0.1 --port 8000 "
                + "--tensor-parallel-size 8 --max-model-len 65536 --quantization fp8");
        assertThat(engine.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        // an hour to load 642 GB of weights before the kubelet gives up
        assertThat(engine.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(engine.getStartupProbe().getPeriodSeconds() * engine.getStartupProbe().getFailureThreshold()).isEqualTo(3600);
        assertThat(engine.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(15L);

        Service service = client.services().inNamespace(NS).withName("r1-h200-http").get();
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("maas.io/deployment", NVIDIA.id().toString(),
                "app.kubernetes.io/component", "engine"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> assertThat(port.getPort()).isEqualTo(8090));

        EngineSpecs.assertGolden("nvidia-h200-fp8", yaml(deployment, service));
    }

    @Test
    void ascendReplicasAskForAscend910OnAtlas800A2NodesWithVllmAscendsQuantizationAndTheDriverOfTheAscendPodTemplate() throws Exception {
        try (InputStream templates = Files.newInputStream(Path.of("../k8s/base/engine-templates.yaml"))) {
            client.resources(PodTemplate.class).resource(client.getKubernetesSerialization().unmarshal(templates, PodTemplate.class)).create();
        }
        provisioner.apply(ASCEND);

        Deployment deployment = deployment(ASCEND);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("accelerator", "huawei-Ascend910", "accelerator-type", "module-910b-8"));
        Container engine = pod.getContainers().getFirst();
        assertThat(engine.getImage()).isEqualTo("maas/engine-vllm-ascend:0.1.0");
        assertThat(engine.getResources().getLimits()).isEqualTo(Map.of("huawei.com/Ascend910", new Quantity("4")));
        assertThat(env(engine)).containsEntry("HCCL_OP_EXPANSION_MODE", "AIV").containsEntry("HCCL_BUFFSIZE", "1024");
        assertThat(command(engine)).isEqualTo("vllm serve /models/DeepSeek-R1-Distill-Llama-70B-W8A8 --served-model-name deepseek-r1-70b "
                + "--host 127.0.0.1 --port 8000 --tensor-parallel-size 4 --max-model-len 32768 --quantization ascend");
        assertThat(deployment.getMetadata().getLabels()).doesNotContainKey("maas.io/tenant");
        // from the maas-engine-ascend PodTemplate of k8s/: the host's driver, and the HwHiAiUser group to open the NPUs
        assertThat(pod.getSecurityContext().getSupplementalGroups()).containsExactly(1000L);
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).contains("ascend-driver", "models", "dshm", "tmp");
        assertThat(engine.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/usr/local/Ascend/driver", "/models");
        assertThat(engine.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getServiceAccountName()).isEqualTo("maas-engine");

        EngineSpecs.assertGolden("ascend-910b-w8a8", yaml(deployment, service(ASCEND)));
    }

    @Test
    void kunlunReplicasAskForKunlunXpusWithoutANodeSelectorAndRunTheVendorsW8a8Recipe() throws Exception {
        provisioner.apply(KUNLUN);

        Deployment deployment = deployment(KUNLUN);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEmpty();
        Container engine = pod.getContainers().getFirst();
        assertThat(engine.getImage()).isEqualTo("maas/engine-vllm-kunlun:0.1.0");
        assertThat(engine.getResources().getLimits()).isEqualTo(Map.of("kunlunxin.com/xpu", new Quantity("8")));
        assertThat(command(engine)).isEqualTo("vllm serve /models/DeepSeek-R1-W8A8-INT8 --served-model-name deepseek-r1 --host 127.0.0.1 "
                + "--port 8000 --tensor-parallel-size 8 --max-model-len 32768 --block-size 64 --quantization compressed-tensors "
                + "--no-enable-prefix-caching --no-enable-chunked-prefill");

        EngineSpecs.assertGolden("kunlun-p800-w8a8", yaml(deployment, service(KUNLUN)));
    }

    @Test
    void aReplicaOverTwoNodesIsALeaderWorkerSetGroupWhoseWorkersJoinTheLeadersDataParallelRendezvous() throws Exception {
        provisioner.apply(LWS);

        assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
        GenericKubernetesResource lws = client.genericKubernetesResources(EngineObjects.LWS).inNamespace(NS).withName("r1-bf16-h100").get();
        assertThat(lws.get("spec", "replicas").toString()).isEqualTo("1");
        assertThat(lws.get("spec", "leaderWorkerTemplate", "size").toString()).isEqualTo("2");
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        PodTemplateSpec leader = serialization.convertValue(lws.get("spec", "leaderWorkerTemplate", "leaderTemplate"), PodTemplateSpec.class);
        PodTemplateSpec worker = serialization.convertValue(lws.get("spec", "leaderWorkerTemplate", "workerTemplate"), PodTemplateSpec.class);
        Container leaderEngine = leader.getSpec().getContainers().getFirst();
        Container workerEngine = worker.getSpec().getContainers().getFirst();
        assertThat(leaderEngine.getResources().getLimits()).isEqualTo(Map.of("nvidia.com/gpu", new Quantity("8")));
        assertThat(workerEngine.getResources().getLimits()).isEqualTo(Map.of("nvidia.com/gpu", new Quantity("8")));
        String rendezvous = "--data-parallel-size-local 1 --data-parallel-address $(LWS_LEADER_ADDRESS) --data-parallel-rpc-port 13345";
        assertThat(command(leaderEngine)).isEqualTo("vllm serve /models/deepseek-r1 --served-model-name deepseek-r1-bf16 --host 127.0.0.1 "
                + "--port 8000 --tensor-parallel-size 8 --data-parallel-size 2 --max-model-len 32768 --dtype bfloat16 " + rendezvous);
        assertThat(String.join(" ", workerEngine.getCommand())).endsWith(rendezvous + " --data-parallel-start-rank $(LWS_WORKER_INDEX) --headless");
        assertThat(leaderEngine.getReadinessProbe()).isNotNull();
        assertThat(workerEngine.getReadinessProbe()).isNull();
        assertThat(leader.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "engine");
        assertThat(worker.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "engine-worker");

        EngineSpecs.assertGolden("nvidia-h100-bf16-2-nodes", yaml(lws, service(LWS)));
    }

    @Test
    void cpuRuntimesRunInTheAdapterItselfWithNoDevicesAndTheDemoModelWrittenUnderTmp() {
        DeploymentSpec demo = new DeploymentSpec(NVIDIA.id(), "demo", 1, null, "demo-moe", "demo-moe", null, "llamacpp", "cpu", null,
                1, 1, 1, "q8_0", 4096, 1);
        provisioner.apply(demo);

        PodSpec pod = deployment(demo).getSpec().getTemplate().getSpec();
        Container engine = pod.getContainers().getFirst();
        assertThat(engine.getImage()).isEqualTo("maas/engine-adapter:0.1.0");
        assertThat(env(engine)).containsEntry("PLATFORM_ENGINE_RUNTIME", "llamacpp").containsEntry("PLATFORM_ENGINE_CACHE_DIR", "/tmp/maas")
                .containsEntry("PLATFORM_ENGINE_CONTEXT_SIZE", "4096").doesNotContainKey("PLATFORM_ENGINE_MODEL_PATH");
        assertThat(engine.getResources().getLimits()).isEmpty();
        assertThat(pod.getNodeSelector()).isEmpty();
        assertThat(pod.getTolerations()).isEmpty();
        assertThat(engine.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    }

    @Test
    void podReadinessSetThroughTheApiMovesTheReplicaFromStartingToReady() {
        provisioner.apply(NVIDIA);
        Pod pod = podOf(NVIDIA, "r1-h200-6d4f9c-x7k2p", null);
        assertThat(provisioner.observe(NVIDIA)).singleElement().satisfies(replica -> {
            assertThat(replica.phase()).isEqualTo(Phase.STARTING);
            assertThat(replica.endpoint()).isNull();
        });

        setStatus(pod, running(false));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(provisioner.observe(NVIDIA)).singleElement()
                .satisfies(replica -> assertThat(replica.message()).isEqualTo("loading the model: /health not ready yet")));
        setStatus(pod, running(true));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(provisioner.observe(NVIDIA)).singleElement().satisfies(replica -> {
            assertThat(replica.phase()).isEqualTo(Phase.READY);
            assertThat(replica.handle()).isEqualTo("r1-h200-6d4f9c-x7k2p");
            assertThat(replica.endpoint()).isEqualTo("http://10.1.2.3:8090");
            assertThat(replica.startedAt()).isEqualTo(Instant.parse("2026-11-30T02:00:00Z"));
        }));
    }

    @Test
    void crashLoopsAndImagePullErrorsFailTheReplicaWithTheKubeletsReason() {
        provisioner.apply(NVIDIA);
        Pod crashing = podOf(NVIDIA, "r1-h200-6d4f9c-aaaaa", null);
        Pod unpullable = podOf(NVIDIA, "r1-h200-6d4f9c-bbbbb", null);
        setStatus(crashing, new PodStatusBuilder(running(false)).withContainerStatuses(new ContainerStatusBuilder().withName("engine")
                .withRestartCount(4)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 2m40s restarting failed container")
                .endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState()
                .build()).build());
        setStatus(unpullable, new PodStatusBuilder().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder().withName("engine")
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"maas/engine-vllm:0.1.0\"").endWaiting().endState()
                .build()).build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(provisioner.observe(NVIDIA))
                .extracting(ReplicaObservation::phase, ReplicaObservation::message, ReplicaObservation::restarts)
                .containsExactly(
                        tuple(Phase.FAILED, "CrashLoopBackOff: exit code 1 (Error)", 4),
                        tuple(Phase.FAILED, "ImagePullBackOff: Back-off pulling image \"maas/engine-vllm:0.1.0\"", 0)));
    }

    @Test
    void aGroupIsReadyWhenItsLeaderIsAndFailsWithAnyOfItsWorkers() {
        provisioner.apply(LWS);
        Pod leader = podOf(LWS, "r1-bf16-h100-0", "0");
        Pod worker = podOf(LWS, "r1-bf16-h100-0-1", "0");
        setStatus(worker, running(true));
        setStatus(leader, running(true));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(provisioner.observe(LWS)).singleElement().satisfies(replica -> {
            assertThat(replica.phase()).isEqualTo(Phase.READY);
            assertThat(replica.ordinal()).isZero();
            assertThat(replica.handle()).isEqualTo("r1-bf16-h100-0");
        }));

        setStatus(worker, new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(provisioner.observe(LWS)).singleElement().satisfies(replica -> {
            assertThat(replica.phase()).isEqualTo(Phase.FAILED);
            assertThat(replica.message()).isEqualTo("r1-bf16-h100-0-1: Evicted: The node was low on resource: memory.");
        }));
    }

    @Test
    void scalingWritesTheNewReplicaCountOnceAndApplyingTheSameGenerationWritesNothing() {
        provisioner.apply(NVIDIA);
        String written = deployment(NVIDIA).getMetadata().getResourceVersion();
        provisioner.apply(NVIDIA);
        assertThat(deployment(NVIDIA).getMetadata().getResourceVersion()).isEqualTo(written);

        DeploymentSpec scaled = EngineSpecs.withReplicas(NVIDIA, 2, 3);
        provisioner.apply(scaled);
        assertThat(deployment(NVIDIA).getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment(NVIDIA).getMetadata().getAnnotations()).containsEntry("maas.io/generation", "2");

        provisioner.apply(EngineSpecs.withReplicas(NVIDIA, 3, 0));
        assertThat(deployment(NVIDIA).getSpec().getReplicas()).isZero();
    }

    @Test
    void deleteRemovesEverythingItCreatedAndNothingElse() {
        provisioner.apply(NVIDIA);
        provisioner.apply(LWS);
        provisioner.apply(KUNLUN);

        provisioner.delete(NVIDIA);
        provisioner.delete(LWS);
        provisioner.delete(LWS);

        assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).extracting(d -> d.getMetadata().getName())
                .containsExactly("r1-p800");
        assertThat(client.genericKubernetesResources(EngineObjects.LWS).inNamespace(NS).list().getItems()).isEmpty();
        assertThat(client.services().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName())
                .containsExactly("r1-p800-http");
    }

    @Test
    void inventoryReadsTheReadyNodesAllocatableVendorResourcesAsTheFitCalculatorsAccelerators() throws Exception {
        try (InputStream nodes = getClass().getResourceAsStream("/kubernetes/nodes.yaml")) {
            for (Node node : client.getKubernetesSerialization().unmarshal(nodes, NodeList.class).getItems()) {
                client.nodes().resource(node).create();
            }
        }

        assertThat(provisioner.inventory()).containsExactly(
                new AcceleratorOffer("ascend", "910b", 8, 1, "allocatable huawei.com/Ascend910 of npu-910b-01"),
                new AcceleratorOffer("nvidia", "h100", 8, 1, "allocatable nvidia.com/gpu of gpu-h100-01"),
                new AcceleratorOffer("nvidia", "h100", 6, 1, "allocatable nvidia.com/gpu of gpu-h100-02"),
                new AcceleratorOffer("kunlun", "p800", 8, 1, "allocatable kunlunxin.com/xpu of xpu-p800-01"));
    }

    @Test
    void withoutTheLeaderWorkerSetApiReplicasOnOneNodeStillRunAndOnesOverSeveralNodesAreRefusedWithWhatToInstall() {
        String missing = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                + "\"message\":\"the server could not find the requested resource\"}";
        String leaderWorkerSets = "/apis/leaderworkerset.x-k8s.io/v1/namespaces/" + NS + "/leaderworkersets";
        server.expect().get().withPath(leaderWorkerSets + "/" + LWS.name()).andReturn(404, missing).always();
        server.expect().post().withPath(leaderWorkerSets).andReturn(404, missing).always();
        server.expect().delete().withPath(leaderWorkerSets + "?labelSelector=maas.io%2Fdeployment%3D" + NVIDIA.id()).andReturn(404, missing).always();

        provisioner.apply(NVIDIA);
        assertThat(deployment(NVIDIA).getSpec().getReplicas()).isEqualTo(2);
        assertThatThrownBy(() -> provisioner.apply(LWS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install LeaderWorkerSet (https://lws.sigs.k8s.io)");
        provisioner.delete(NVIDIA);
        assertThat(deployment(NVIDIA)).isNull();
    }

    @Test
    void specsKubernetesCannotRunAreRefusedWithWhatToChange() {
        DeploymentSpec longName = new DeploymentSpec(NVIDIA.id(), "a-deployment-name-far-too-long-for-pod-host-names", 1, null, "deepseek-r1",
                "deepseek-r1", null, "vllm", "nvidia", "h200", 8, 1, 8, "fp8", 65536, 1);
        assertThatThrownBy(() -> provisioner.apply(longName)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 40");
        DeploymentSpec kunlunOnNvidia = new DeploymentSpec(NVIDIA.id(), "r1", 1, null, "deepseek-r1", "deepseek-r1", null, "vllm-kunlun",
                "nvidia", "h200", 8, 1, 8, "fp8", 65536, 1);
        assertThatThrownBy(() -> provisioner.apply(kunlunOnNvidia)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runtime vllm-kunlun does not run on nvidia; use one of vllm");
        assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
    }

    private Deployment deployment(DeploymentSpec spec) {
        return client.apps().deployments().inNamespace(NS).withName(spec.name()).get();
    }

    private Service service(DeploymentSpec spec) {
        return client.services().inNamespace(NS).withName(spec.name() + "-http").get();
    }

    /** A pod as the Deployment (or LeaderWorkerSet) controller would create it from the template. */
    private Pod podOf(DeploymentSpec spec, String name, String group) {
        PodTemplateSpec template;
        if (group == null) {
            template = deployment(spec).getSpec().getTemplate();
        } else {
            GenericKubernetesResource lws = client.genericKubernetesResources(EngineObjects.LWS).inNamespace(NS).withName(spec.name()).get();
            String which = name.endsWith("-" + group) ? "leaderTemplate" : "workerTemplate";
            template = client.getKubernetesSerialization().convertValue(lws.get("spec", "leaderWorkerTemplate", which), PodTemplateSpec.class);
        }
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(template.getMetadata().getLabels())
                .endMetadata().withSpec(template.getSpec());
        if (group != null) {
            pod.editMetadata().addToLabels(EngineObjects.LWS_GROUP_INDEX, group).endMetadata();
        }
        return client.pods().resource(pod.build()).create();
    }

    private void setStatus(Pod pod, PodStatus status) {
        Pod current = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get();
        current.setStatus(status);
        client.pods().resource(current).updateStatus();
    }

    private static PodStatus running(boolean ready) {
        return new PodStatusBuilder().withPhase("Running").withPodIP("10.1.2.3").withStartTime("2026-11-30T02:00:00Z")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addToContainerStatuses(new ContainerStatusBuilder().withName("engine").withReady(ready).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt("2026-11-30T02:00:05Z").endRunning().endState().build())
                .build();
    }

    /** The container's environment; a value read from a secret shows as {@code secret:<name>/<key>}. */
    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom() == null ? e.getValue()
                : "secret:" + e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
    }

    /** The engine command the adapter is told to run, from its indexed environment variables. */
    private static String command(Container container) {
        return container.getEnv().stream().filter(e -> e.getName().startsWith("PLATFORM_ENGINE_EXTERNAL_COMMAND_"))
                .map(EnvVar::getValue).collect(Collectors.joining(" "));
    }

    /** The objects as stored, without what the API server adds. */
    private String yaml(HasMetadata... objects) {
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            object.getMetadata().setUid(null);
            object.getMetadata().setResourceVersion(null);
            object.getMetadata().setCreationTimestamp(null);
            object.getMetadata().setGeneration(null);
            object.getMetadata().setManagedFields(null);
            yaml.append(client.getKubernetesSerialization().asYaml(object));
        }
        return yaml.toString();
    }
}
