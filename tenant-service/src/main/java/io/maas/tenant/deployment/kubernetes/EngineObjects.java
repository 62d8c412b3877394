package io.maas.tenant.deployment.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.maas.accelerators.fit.AcceleratorSpec;
import io.maas.api.accelerator.AcceleratorProvider;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.KubernetesPlacement;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects of one deployment, as pure functions of its spec and the configuration.
 *
 * <p>Rules:
 * <ul>
 *   <li>A replica on one node is a pod of a {@code Deployment}; a replica spanning nodes is a group of a
 *       {@code LeaderWorkerSet} ({@value #LWS_API_VERSION}), whose leader serves and whose workers join it.</li>
 *   <li>Every serving pod runs the engine-adapter on port {@value #ADAPTER_PORT}: it supervises the engine process
 *       (the accelerator provider's launch command, listening on 127.0.0.1:{@value #ENGINE_PORT}), drains on SIGTERM
 *       and answers {@code /health}. Workers run the provider's command directly, headless.</li>
 *   <li>Over several nodes the replica is vLLM data parallel with one rank per node (tensor parallel inside a node),
 *       the ranks meeting at the leader's address; so tensor parallelism must fill a node.</li>
 *   <li>Devices come from the provider's {@link KubernetesPlacement}: its resource under {@code limits}, its labels as
 *       the node selector, and a toleration of the taint clusters put on such nodes.</li>
 *   <li>Every object carries {@link #DEPLOYMENT_LABEL} (how {@code observe} and {@code delete} find them) and the
 *       generation it was written for ({@link #GENERATION_ANNOTATION}).</li>
 * </ul>
 */
final class EngineObjects {

    static final String LWS_API_VERSION = "leaderworkerset.x-k8s.io/v1";
    static final ResourceDefinitionContext LWS = new ResourceDefinitionContext.Builder()
            .withGroup("leaderworkerset.x-k8s.io").withVersion("v1").withKind("LeaderWorkerSet")
            .withPlural("leaderworkersets").withNamespaced(true).build();
    /** Set by the LeaderWorkerSet controller on its pods: the replica (group) a pod belongs to. */
    static final String LWS_GROUP_INDEX = "leaderworkerset.sigs.k8s.io/group-index";

    static final String DEPLOYMENT_LABEL = "maas.io/deployment";
    static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    static final String SERVING = "engine";
    static final String WORKER = "engine-worker";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String MANAGED_BY = "maas-tenant-service";
    static final String GENERATION_ANNOTATION = "maas.io/generation";

    static final int ADAPTER_PORT = 8090;
    static final int ENGINE_PORT = 8000;
    static final int DATA_PARALLEL_RPC_PORT = 13345;
    /** Pod host names in a LeaderWorkerSet are {@code <name>-<replica>-<worker>} and must stay within 63 characters. */
    static final int MAX_NAME_LENGTH = 40;
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int PROBE_PERIOD_SECONDS = 10;
    /** After SIGTERM and the drain: the engine's own stop (the adapter waits 20 s before SIGKILL) and a margin. */
    private static final long STOP_SECONDS = 30;

    private final KubernetesProperties properties;
    private final AcceleratorProviders providers;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    EngineObjects(KubernetesProperties properties, AcceleratorProviders providers) {
        this.properties = properties;
        this.providers = providers;
    }

    /**
     * The {@code Deployment} or {@code LeaderWorkerSet} that runs the replicas.
     *
     * @param vendor the pod the operator wants for this vendor (the {@code maas-engine-<vendor>} PodTemplate), or an
     *               empty one; see {@link #podSpec} for how it is merged
     * @throws IllegalArgumentException when the spec cannot run on Kubernetes as asked; the message says what to change
     */
    HasMetadata workload(DeploymentSpec spec, PodSpec vendor) {
        checkName(spec.name());
        if (spec.nodesPerReplica() > 1) {
            return leaderWorkerSet(spec, vendor);
        }
        return new DeploymentBuilder()
                .withMetadata(metadata(spec, spec.name()))
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withNewSelector().withMatchLabels(Map.of(DEPLOYMENT_LABEL, spec.id().toString())).endSelector()
                // accelerators are rarely spare: replace a pod before starting its successor
                .withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(0)).withMaxUnavailable(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withTemplate(podTemplate(spec, SERVING, servingContainer(spec, List.of()), vendor))
                .endSpec()
                .build();
    }

    /** The Service in front of the serving pods (a LeaderWorkerSet's leaders), on port {@value #ADAPTER_PORT}. */
    Service service(DeploymentSpec spec) {
        checkName(spec.name());
        return new ServiceBuilder()
                .withMetadata(metadata(spec, serviceName(spec)))
                .withNewSpec()
                .withSelector(new TreeMap<>(Map.of(DEPLOYMENT_LABEL, spec.id().toString(), COMPONENT_LABEL, SERVING)))
                .addNewPort().withName("http").withPort(ADAPTER_PORT).withTargetPort(new IntOrString("http")).endPort()
                .endSpec()
                .build();
    }

    /** {@code <name>-http}: a LeaderWorkerSet keeps the plain name for the headless Service of its pods. */
    static String serviceName(DeploymentSpec spec) {
        return spec.name() + "-http";
    }

    private GenericKubernetesResource leaderWorkerSet(DeploymentSpec spec, PodSpec vendor) {
        int devicesPerNode = devicesPerPod(spec);
        if (spec.tensorParallelSize() != devicesPerNode) {
            throw new IllegalArgumentException("a replica over " + spec.nodesPerReplica() + " nodes runs one data-parallel rank per node, "
                    + "so its tensor parallel size must be the " + devicesPerNode + " devices of a node, was " + spec.tensorParallelSize());
        }
        if (spec.runtime().equals("mindie") || spec.vendor().equals("cpu")) {
            throw new IllegalArgumentException(spec.runtime() + " replicas run on one node; use vllm, vllm-ascend or vllm-kunlun "
                    + "for a replica over " + spec.nodesPerReplica() + " nodes");
        }
        List<String> rendezvous = List.of("--data-parallel-size-local", "1",
                "--data-parallel-address", "$(LWS_LEADER_ADDRESS)",
                "--data-parallel-rpc-port", Integer.toString(DATA_PARALLEL_RPC_PORT));
        List<String> workerArgs = new ArrayList<>(rendezvous);
        workerArgs.addAll(List.of("--data-parallel-start-rank", "$(LWS_WORKER_INDEX)", "--headless"));
        Container leader = servingContainer(spec, rendezvous);
        LaunchCommand worker = launch(spec, workerArgs);
        Container workerContainer = new ContainerBuilder(baseContainer(spec, worker.environment()))
                .withCommand(worker.argv())
                .build();

        Map<String, Object> template = new LinkedHashMap<>();
        template.put("size", spec.nodesPerReplica());
        // a group is one engine: when one of its pods restarts, the others cannot continue without it
        template.put("restartPolicy", "RecreateGroupOnPodRestart");
        template.put("leaderTemplate", serialization.convertValue(podTemplate(spec, SERVING, leader, vendor), Map.class));
        template.put("workerTemplate", serialization.convertValue(podTemplate(spec, WORKER, workerContainer, vendor), Map.class));
        Map<String, Object> lwsSpec = new LinkedHashMap<>();
        lwsSpec.put("replicas", spec.replicas());
        lwsSpec.put("startupPolicy", "LeaderCreated");
        lwsSpec.put("leaderWorkerTemplate", template);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(LWS_API_VERSION)
                .withKind(LWS.getKind())
                .withMetadata(metadata(spec, spec.name()))
                .withAdditionalProperties(Map.of("spec", lwsSpec))
                .build();
    }

    private ObjectMeta metadata(DeploymentSpec spec, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(properties.namespace())
                .withLabels(labels(spec))
                .withAnnotations(Map.of(GENERATION_ANNOTATION, Long.toString(spec.generation())))
                .build();
    }

    private static Map<String, String> labels(DeploymentSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "maas-engine");
        labels.put("app.kubernetes.io/instance", spec.name());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(DEPLOYMENT_LABEL, spec.id().toString());
        labels.put("maas.io/model", spec.model());
        if (spec.tenantId() != null) {
            labels.put("maas.io/tenant", spec.tenantId().toString());
        }
        return labels;
    }

    private PodTemplateSpec podTemplate(DeploymentSpec spec, String component, Container container, PodSpec vendor) {
        Map<String, String> labels = labels(spec);
        labels.put(COMPONENT_LABEL, component);
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withSpec(podSpec(spec, container, vendor))
                .build();
    }

    /**
     * The pod: the vendor's pod as the operator wrote it (host paths for drivers, priority, affinity, pull secrets,
     * sidecars), with what the provisioner owns set over it: service account and token, grace period, the
     * {@code engine} container (the vendor's {@code engine} container adds its env, its volume mounts and, when it has
     * one, its security context), our volumes, node selector and toleration added; the pod security context is ours
     * unless the vendor's pod has one.
     */
    private PodSpec podSpec(DeploymentSpec spec, Container engine, PodSpec vendor) {
        KubernetesProperties.Pods pods = properties.pods();
        Container vendorEngine = vendor.getContainers().stream().filter(c -> "engine".equals(c.getName())).findFirst()
                .orElseGet(Container::new);
        ContainerBuilder merged = new ContainerBuilder(engine)
                .addAllToEnv(vendorEngine.getEnv())
                .addAllToVolumeMounts(vendorEngine.getVolumeMounts());
        if (vendorEngine.getSecurityContext() != null) {
            merged.withSecurityContext(vendorEngine.getSecurityContext());
        }
        List<Container> containers = new ArrayList<>(List.of(merged.build()));
        vendor.getContainers().stream().filter(c -> !"engine".equals(c.getName())).forEach(containers::add);
        PodSpecBuilder pod = new PodSpecBuilder(vendor)
                .withServiceAccountName(properties.serviceAccount())
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(pods.preStopDelay().toSeconds() + pods.drainGrace().toSeconds() + STOP_SECONDS)
                .withContainers(containers)
                .addToVolumes(
                        new VolumeBuilder().withName("models")
                                .withNewPersistentVolumeClaim().withClaimName(properties.models().claim()).withReadOnly(true).endPersistentVolumeClaim()
                                .build(),
                        new VolumeBuilder().withName("dshm")
                                .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity(pods.sharedMemory())).endEmptyDir()
                                .build(),
                        new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        if (vendor.getSecurityContext() == null) {
            pod.withNewSecurityContext()
                    .withRunAsNonRoot(true).withRunAsUser(pods.runAsUser()).withRunAsGroup(pods.runAsUser()).withFsGroup(pods.runAsUser())
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext();
        }
        if (accelerated(spec)) {
            KubernetesPlacement placement = placement(spec);
            pod.addToNodeSelector(new TreeMap<>(placement.nodeSelector()))
                    .addToTolerations(new TolerationBuilder().withKey(placement.resourceName()).withOperator("Exists")
                            .withEffect("NoSchedule").build());
        }
        return pod.build();
    }

    /**
     * The adapter in front of the engine: port, probes, drain; its environment says what to run.
     * {@code rendezvous} are the engine's multi-node flags (none on one node).
     */
    private Container servingContainer(DeploymentSpec spec, List<String> rendezvous) {
        KubernetesProperties.Pods pods = properties.pods();
        List<EnvVar> adapter = new ArrayList<>();
        // the adapter listens beyond loopback only with a secret, which every gateway sends
        adapter.add(env("SERVER_ADDRESS", "0.0.0.0"));
        adapter.add(new EnvVarBuilder().withName("PLATFORM_ENGINE_SECRET").withNewValueFrom().withNewSecretKeyRef()
                .withName(properties.engineSecret()).withKey("ENGINE_SECRET").endSecretKeyRef().endValueFrom().build());
        adapter.add(env("PLATFORM_ENGINE_SERVED_MODEL_NAME", spec.servedModelName()));
        adapter.add(env("PLATFORM_ENGINE_DRAIN_GRACE", pods.drainGrace().toSeconds() + "s"));
        Map<String, String> engineEnvironment = Map.of();
        switch (spec.runtime()) {
            case "llamacpp" -> {
                adapter.add(env("PLATFORM_ENGINE_RUNTIME", "llamacpp"));
                adapter.add(env("PLATFORM_ENGINE_CACHE_DIR", "/tmp/maas"));
                adapter.add(env("PLATFORM_ENGINE_CONTEXT_SIZE", Integer.toString(spec.contextLength())));
                if (spec.weights() != null) {
                    adapter.add(env("PLATFORM_ENGINE_MODEL_PATH", modelPath(spec)));
                }
            }
            case "simulated" -> adapter.add(env("PLATFORM_ENGINE_RUNTIME", "simulated"));
            default -> {
                LaunchCommand engine = launch(spec, rendezvous);
                engineEnvironment = engine.environment();
                adapter.add(env("PLATFORM_ENGINE_RUNTIME", "external"));
                adapter.add(env("PLATFORM_ENGINE_EXTERNAL_PORT", Integer.toString(ENGINE_PORT)));
                adapter.add(env("PLATFORM_ENGINE_EXTERNAL_START_TIMEOUT", pods.startupTimeout().toSeconds() + "s"));
                for (int i = 0; i < engine.argv().size(); i++) {
                    adapter.add(env("PLATFORM_ENGINE_EXTERNAL_COMMAND_" + i, engine.argv().get(i)));
                }
            }
        }
        Container base = baseContainer(spec, engineEnvironment);
        return new ContainerBuilder(base)
                .withEnv(concat(adapter, base.getEnv()))
                .addNewPort().withName("http").withContainerPort(ADAPTER_PORT).endPort()
                .withStartupProbe(health(PROBE_PERIOD_SECONDS,
                        (int) Math.max(1, Math.ceilDiv(pods.startupTimeout().toSeconds(), PROBE_PERIOD_SECONDS))))
                .withReadinessProbe(health(5, 2))
                .withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(pods.preStopDelay().toSeconds()).endSleep()
                .endPreStop().endLifecycle()
                .build();
    }

    /** Image, resources, volumes, a locked-down security context and the engine's environment: what every engine pod has. */
    private Container baseContainer(DeploymentSpec spec, Map<String, String> engineEnvironment) {
        KubernetesProperties.Pods pods = properties.pods();
        List<EnvVar> environment = new ArrayList<>();
        // a read-only root: caches (compiled kernels, Hugging Face, Triton) go to the writable /tmp
        environment.add(env("HOME", "/tmp"));
        new TreeMap<>(engineEnvironment).forEach((name, value) -> environment.add(env(name, value)));
        ContainerBuilder container = new ContainerBuilder()
                .withName("engine")
                .withImage(properties.images().forRuntime(spec.runtime()))
                .withEnv(environment)
                .withNewResources()
                .addToRequests("cpu", new Quantity(pods.cpu()))
                .addToRequests("memory", new Quantity(pods.memory()))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .withVolumeMounts(
                        new VolumeMountBuilder().withName("models").withMountPath(properties.models().path()).withReadOnly(true).build(),
                        new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build(),
                        new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (accelerated(spec)) {
            container.editResources()
                    .addToLimits(placement(spec).resourceName(), new Quantity(Integer.toString(devicesPerPod(spec))))
                    .endResources();
        }
        return container.build();
    }

    /** The provider's command for the engine of one pod; {@code extraArgs} are the multi-node flags. */
    private LaunchCommand launch(DeploymentSpec spec, List<String> extraArgs) {
        AcceleratorProvider provider = providers.require(spec.vendor());
        if (!provider.engines().contains(spec.runtime())) {
            throw new IllegalArgumentException("runtime " + spec.runtime() + " does not run on " + spec.vendor() + "; use one of "
                    + String.join(", ", provider.engines()));
        }
        int devices = devicesPerPod(spec);
        if (devices % spec.tensorParallelSize() != 0) {
            throw new IllegalArgumentException("tensor parallel size " + spec.tensorParallelSize() + " must divide the "
                    + devices + " devices of a pod");
        }
        int dataParallel = spec.acceleratorsPerReplica() / spec.tensorParallelSize();
        EngineLaunchSpec launch = EngineLaunchSpec.of(modelPath(spec), spec.servedModelName(), ENGINE_PORT)
                .withEngine(spec.runtime())
                .withParallelism(spec.tensorParallelSize(), dataParallel, 1)
                .withQuantization(spec.precision() == null ? null : Precision.parse(spec.precision()))
                .withMaxModelLen(spec.contextLength())
                .withConfigFile(spec.runtime().equals("mindie") ? properties.images().mindieConfig() : null)
                .withExtraArgs(extraArgs);
        return provider.launchCommand(launch);
    }

    private String modelPath(DeploymentSpec spec) {
        if (spec.weights() == null) {
            return properties.models().path() + "/" + spec.model();
        }
        return spec.weights().startsWith("/") ? spec.weights() : properties.models().path() + "/" + spec.weights();
    }

    private KubernetesPlacement placement(DeploymentSpec spec) {
        AcceleratorProvider provider = providers.require(spec.vendor());
        String deviceName = spec.acceleratorType() == null ? spec.vendor() : AcceleratorSpec.byId(spec.acceleratorType()).deviceName();
        return provider.kubernetesPlacement(deviceName);
    }

    private static boolean accelerated(DeploymentSpec spec) {
        return !spec.vendor().equals("cpu");
    }

    private static int devicesPerPod(DeploymentSpec spec) {
        if (spec.nodesPerReplica() < 1 || spec.acceleratorsPerReplica() % spec.nodesPerReplica() != 0) {
            throw new IllegalArgumentException(spec.acceleratorsPerReplica() + " devices per replica cannot be spread evenly over "
                    + spec.nodesPerReplica() + " nodes");
        }
        return spec.acceleratorsPerReplica() / spec.nodesPerReplica();
    }

    static void checkName(String name) {
        if (name.length() > MAX_NAME_LENGTH || !DNS_1035_LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("a deployment on Kubernetes needs a name of at most " + MAX_NAME_LENGTH
                    + " lower-case letters, digits and '-', starting with a letter; was \"" + name + "\"");
        }
    }

    private static Probe health(int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(5).withFailureThreshold(failureThreshold)
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    private static List<EnvVar> concat(List<EnvVar> first, List<EnvVar> second) {
        List<EnvVar> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
