package io.maas.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders every overlay as an install does ({@code k8s/generate-secrets <overlay>}, then {@code kubectl kustomize}) and
 * checks what must hold in a cluster: non-root read-only containers with requests, Redis whenever gateways can be more
 * than one, the usage spool on a persistent volume, only gateways reaching engine pods, no secret in the repository,
 * and RBAC limited to what the provisioner does.
 */
class ManifestsIT {

    private static final Path K8S = Path.of("").toAbsolutePath();
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String GATEWAY = "inference-gateway";
    /** The labels tenant-service's kubernetes provisioner puts on the serving pods it creates (EngineObjects). */
    private static final Map<String, String> PROVISIONED_ENGINE = Map.of("app.kubernetes.io/name", "maas-engine",
            "app.kubernetes.io/component", "engine");

    @TempDir
    static Path install;
    private static final Map<String, List<HasMetadata>> RENDERED = new HashMap<>();

    private record Workload(HasMetadata object, int replicas, PodTemplateSpec template) {

        String name() {
            return object.getMetadata().getName();
        }

        PodSpec pod() {
            return template.getSpec();
        }
    }

    @BeforeAll
    static void render() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the overlays are rendered with `kubectl kustomize`"
                + " (Debian has no package for it; install kubectl to run these checks)");
        copy(K8S.resolve("base"), install.resolve("base"));
        copy(K8S.resolve("overlays"), install.resolve("overlays"));
        Files.copy(K8S.resolve("generate-secrets"), install.resolve("generate-secrets"));
        for (String overlay : List.of("dev", "prod")) {
            run(List.of("bash", install.resolve("generate-secrets").toString(), overlay));
            String yaml = run(List.of("kubectl", "kustomize", install.resolve("overlays").resolve(overlay).toString()));
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : yaml.split("(?m)^---$")) {
                if (!document.isBlank()) {
                    objects.add(YAML.unmarshal(document, HasMetadata.class));
                }
            }
            RENDERED.put(overlay, objects);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerRunsAsNonRootOnAReadOnlyRootFileSystemWithResourceRequests(String overlay) {
        assertThat(workloads(overlay)).hasSizeGreaterThanOrEqualTo(3).allSatisfy(workload -> {
            PodSecurityContext pod = Optional.ofNullable(workload.pod().getSecurityContext()).orElseGet(PodSecurityContext::new);
            List<Container> containers = new ArrayList<>(workload.pod().getContainers());
            containers.addAll(workload.pod().getInitContainers());
            assertThat(containers).allSatisfy(container -> {
                SecurityContext own = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
                String where = workload.name() + "/" + container.getName();
                assertThat(Objects.requireNonNullElse(own.getRunAsNonRoot(), pod.getRunAsNonRoot())).as(where + " runAsNonRoot").isTrue();
                assertThat(Objects.requireNonNullElse(own.getRunAsUser(), Objects.requireNonNullElse(pod.getRunAsUser(), 1L)))
                        .as(where + " runAsUser").isPositive();
                assertThat(own.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(own.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(own.getCapabilities().getDrop()).as(where + " capabilities.drop").contains("ALL");
                assertThat(container.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(where + " memory limit").containsKey("memory");
            });
        });
        // what the provisioner starts engine pods from: it adds the container's read-only root and requests itself
        assertThat(of(overlay, PodTemplate.class)).isNotEmpty().allSatisfy(template -> {
            PodSecurityContext pod = template.getTemplate().getSpec().getSecurityContext();
            assertThat(pod.getRunAsNonRoot()).isTrue();
            assertThat(pod.getRunAsUser()).isPositive();
            assertThat(template.getTemplate().getSpec().getContainers()).allSatisfy(container -> {
                assertThat(container.getSecurityContext()).isNull();
                assertThat(container.getVolumeMounts()).allSatisfy(mount -> assertThat(mount.getReadOnly()).isTrue());
            });
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void gatewaysThatCanBeMoreThanOneShareTheirCountersInRedis(String overlay) {
        Workload gateway = workload(overlay, GATEWAY);
        int most = Math.max(gateway.replicas(), of(overlay, HorizontalPodAutoscaler.class)
                .filter(hpa -> hpa.getSpec().getScaleTargetRef().getName().equals(GATEWAY))
                .mapToInt(hpa -> hpa.getSpec().getMaxReplicas()).max().orElse(0));
        assertThat(most).as("gateway replicas at most").isEqualTo(overlay.equals("dev") ? 1 : 12);
        Map<String, String> env = environment(overlay, gateway.pod().getContainers().getFirst());
        String store = env.getOrDefault("PLATFORM_GATEWAY_ADMISSION_STORE", "memory");
        if (most > 1) {
            assertThat(store).as("admission store of %d gateways", most).isEqualTo("redis");
            URI redis = URI.create(env.get("PLATFORM_GATEWAY_ADMISSION_REDIS_URI"));
            assertThat(of(overlay, Service.class).map(service -> service.getMetadata().getName())).contains(redis.getHost());
            assertThat(redis.getUserInfo()).as("Redis password").startsWith(":").hasSizeGreaterThan(24);
        } else {
            assertThat(store).isEqualTo("memory");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theUsageSpoolOfEveryGatewayIsOnItsOwnPersistentVolume(String overlay) {
        Workload gateway = workload(overlay, GATEWAY);
        assertThat(gateway.object()).isInstanceOf(StatefulSet.class);
        Container container = gateway.pod().getContainers().getFirst();
        String spool = environment(overlay, container).get("PLATFORM_GATEWAY_USAGE_SPOOL_DIR");
        String volume = container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(spool)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at the spool directory " + spool)).getName();
        assertThat(((StatefulSet) gateway.object()).getSpec().getVolumeClaimTemplates()).extracting(claim -> claim.getMetadata().getName())
                .contains(volume);
        assertThat(gateway.pod().getVolumes()).noneMatch(v -> v.getName().equals(volume));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theBatchFilesOfAllGatewaysAreOnOneSharedPersistentVolume(String overlay) {
        Workload gateway = workload(overlay, GATEWAY);
        Container container = gateway.pod().getContainers().getFirst();
        String files = environment(overlay, container).get("PLATFORM_GATEWAY_FILES_DIR");
        String volume = container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(files)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at the files directory " + files)).getName();
        String claim = gateway.pod().getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst()
                .map(v -> v.getPersistentVolumeClaim().getClaimName())
                .orElseThrow(() -> new AssertionError("the files volume " + volume + " is not a persistent volume claim"));
        PersistentVolumeClaim shared = of(overlay, PersistentVolumeClaim.class).filter(c -> c.getMetadata().getName().equals(claim))
                .findFirst().orElseThrow(() -> new AssertionError("no claim " + claim + " in " + overlay));
        assertThat(shared.getSpec().getAccessModes()).containsExactly(overlay.equals("dev") ? "ReadWriteOnce" : "ReadWriteMany");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyGatewaysReachEnginePods(String overlay) {
        assertThat(of(overlay, NetworkPolicy.class)).anySatisfy(deny -> {
            assertThat(deny.getMetadata().getNamespace()).isEqualTo("maas-engines");
            assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(deny.getSpec().getPolicyTypes()).contains("Ingress");
            assertThat(deny.getSpec().getIngress()).isEmpty();
        });
        Map<String, String> cpuEngine = workload(overlay, "engine-adapter-cpu").template().getMetadata().getLabels();
        assertOnlyGatewaysOnPort8090(overlay, "maas", cpuEngine);
        assertOnlyGatewaysOnPort8090(overlay, "maas-engines", PROVISIONED_ENGINE);
    }

    private static void assertOnlyGatewaysOnPort8090(String overlay, String namespace, Map<String, String> podLabels) {
        List<NetworkPolicy> selecting = of(overlay, NetworkPolicy.class)
                .filter(policy -> policy.getMetadata().getNamespace().equals(namespace) && selects(policy.getSpec().getPodSelector(), podLabels))
                .toList();
        assertThat(selecting).as("network policies selecting %s in %s", podLabels, namespace).isNotEmpty();
        List<NetworkPolicyIngressRule> rules = selecting.stream().flatMap(policy -> policy.getSpec().getIngress().stream()).toList();
        assertThat(rules).allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty().allSatisfy(peer -> {
            assertThat(peer.getIpBlock()).isNull();
            Map<String, String> from = peer.getPodSelector() == null ? Map.of() : peer.getPodSelector().getMatchLabels();
            if (GATEWAY.equals(from.get("app.kubernetes.io/name"))) {
                assertThat(peerNamespace(peer, namespace)).isEqualTo("maas");
                assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(8090));
            } else {
                // the workers of a replica over several nodes, joining their leader
                assertThat(from).as("a peer that is not a gateway").containsEntry("app.kubernetes.io/component", "engine-worker");
                assertThat(peer.getNamespaceSelector()).isNull();
            }
        }));
        assertThat(rules).anySatisfy(rule -> assertThat(rule.getFrom()).anySatisfy(peer ->
                assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", GATEWAY)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void enginesListenBeyondLoopbackOnlyWithTheSecretThatGatewaysSend(String overlay) {
        String gatewaySecret = secretValue(overlay, "maas", workload(overlay, GATEWAY).pod().getContainers().getFirst(),
                "PLATFORM_GATEWAY_ENGINE_SECRET");
        Container cpuEngine = workload(overlay, "engine-adapter-cpu").pod().getContainers().getFirst();
        assertThat(environment(overlay, cpuEngine)).containsEntry("SERVER_ADDRESS", "0.0.0.0");
        assertThat(secretValue(overlay, "maas", cpuEngine, "PLATFORM_ENGINE_SECRET")).hasSizeGreaterThanOrEqualTo(24).isEqualTo(gatewaySecret);
        // the pods the provisioner creates read the same value from the engines' namespace, by the fixed name it uses
        Secret engines = of(overlay, Secret.class).filter(secret -> secret.getMetadata().getNamespace().equals("maas-engines"))
                .filter(secret -> secret.getMetadata().getName().equals("maas-engine")).findFirst().orElseThrow();
        assertThat(decoded(engines)).containsEntry("ENGINE_SECRET", gatewaySecret);
    }

    private static String secretValue(String overlay, String namespace, Container container, String variable) {
        EnvVar env = container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + variable));
        var reference = env.getValueFrom().getSecretKeyRef();
        Secret secret = of(overlay, Secret.class).filter(s -> s.getMetadata().getNamespace().equals(namespace))
                .filter(s -> s.getMetadata().getName().equals(reference.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no secret " + reference.getName() + " in " + namespace));
        return decoded(secret).get(reference.getKey());
    }

    @Test
    void noSecretIsCommittedToTheRepository() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            List<Path> manifests = files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> !K8S.relativize(file).toString().matches("(target|overlays/[^/]+/secrets)/.*")).toList();
            assertThat(manifests).isNotEmpty().allSatisfy(file -> assertThat(Files.readString(file))
                    .as(K8S.relativize(file).toString())
                    .doesNotContainPattern("(?m)^kind: Secret").doesNotContainIgnoringCase("change-me").doesNotContain("stringData"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySecretIsGeneratedAtInstallWithNoPlaceholder(String overlay) {
        List<Secret> secrets = of(overlay, Secret.class).toList();
        assertThat(secrets).extracting(secret -> secret.getMetadata().getName().replaceFirst("-[a-z0-9]{10}$", ""))
                .contains("maas-database", "maas-admin", "maas-engine");
        assertThat(secrets).allSatisfy(secret -> {
            if (!secret.getMetadata().getNamespace().equals("maas-engines")) { // provisioned pods name theirs as it is
                assertThat(secret.getMetadata().getName()).as("a generated name").matches(".*-[a-z0-9]{10}");
            }
            decoded(secret).forEach((key, value) -> {
                assertThat(value).as(key).isNotBlank().doesNotContainIgnoringCase("change-me").doesNotContainIgnoringCase("changeme");
                if (key.endsWith("PASSWORD")) {
                    assertThat(value).as(key).hasSizeGreaterThanOrEqualTo(24);
                }
            });
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theProvisionerMayManageEngineWorkloadsInTheirNamespaceAndReadNodesNothingMore(String overlay) {
        Role role = of(overlay, Role.class).filter(r -> r.getMetadata().getName().equals("maas-provisioner")).findFirst().orElseThrow();
        assertThat(role.getMetadata().getNamespace()).isEqualTo("maas-engines");
        Map<String, Set<String>> granted = new HashMap<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    granted.put(group + "/" + resource, Set.copyOf(rule.getVerbs()));
                }
            }
        }
        Set<String> manage = Set.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
        assertThat(granted).isEqualTo(Map.of("apps/deployments", manage, "leaderworkerset.x-k8s.io/leaderworkersets", manage,
                "/services", manage, "/pods", Set.of("get", "list", "watch", "delete"), "/podtemplates", Set.of("get")));
        List<PolicyRule> clusterRules = of(overlay, ClusterRole.class).flatMap(r -> r.getRules().stream()).toList();
        assertThat(clusterRules).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("nodes");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        Subject tenantService = new Subject(null, "ServiceAccount", "maas-tenant-service", "maas");
        assertThat(Stream.concat(of(overlay, RoleBinding.class).flatMap(b -> b.getSubjects().stream()),
                of(overlay, ClusterRoleBinding.class).flatMap(b -> b.getSubjects().stream()))).containsOnly(tenantService);
        assertThat(workloads(overlay)).allSatisfy(workload -> {
            if (workload.name().equals("tenant-service")) {
                assertThat(workload.pod().getServiceAccountName()).isEqualTo("maas-tenant-service");
            } else {
                assertThat(workload.pod().getAutomountServiceAccountToken()).as(workload.name() + " API token").isFalse();
            }
        });
    }

    @Test
    void prodScalesGatewaysWithAnAutoscalerAndDrainsThemOneAtATime() {
        assertThat(of("prod", HorizontalPodAutoscaler.class)).singleElement()
                .satisfies(hpa -> assertThat(hpa.getSpec().getMinReplicas()).isGreaterThan(1));
        assertThat(of("prod", PodDisruptionBudget.class)).singleElement().satisfies(pdb -> {
            assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", GATEWAY);
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        });
        assertThat(of("dev", HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(of("dev", PersistentVolumeClaim.class)).extracting(claim -> claim.getSpec().getAccessModes())
                .containsOnly(List.of("ReadWriteOnce"));
    }

    private static <T extends HasMetadata> Stream<T> of(String overlay, Class<T> kind) {
        return RENDERED.get(overlay).stream().filter(kind::isInstance).map(kind::cast);
    }

    private static List<Workload> workloads(String overlay) {
        return RENDERED.get(overlay).stream().<Workload>mapMulti((object, into) -> {
            if (object instanceof Deployment deployment) {
                into.accept(new Workload(object, deployment.getSpec().getReplicas(), deployment.getSpec().getTemplate()));
            } else if (object instanceof StatefulSet set) {
                into.accept(new Workload(object, set.getSpec().getReplicas(), set.getSpec().getTemplate()));
            }
        }).toList();
    }

    private static Workload workload(String overlay, String name) {
        return workloads(overlay).stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name + " in " + overlay));
    }

    /** The container's environment as the kubelet builds it: its env over the secrets of envFrom. */
    private static Map<String, String> environment(String overlay, Container container) {
        Map<String, String> environment = new HashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            String name = source.getSecretRef().getName();
            of(overlay, Secret.class).filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                    .ifPresent(secret -> environment.putAll(decoded(secret)));
        }
        for (EnvVar env : container.getEnv()) {
            environment.put(env.getName(), env.getValue());
        }
        return environment;
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new HashMap<>();
        secret.getData().forEach((key, value) -> values.put(key, new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
        return values;
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return !wanted.isEmpty() && labels.entrySet().containsAll(wanted.entrySet());
    }

    private static String peerNamespace(NetworkPolicyPeer peer, String policyNamespace) {
        if (peer.getNamespaceSelector() == null) {
            return policyNamespace;
        }
        return peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static String run(List<String> command) throws Exception {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("MAAS_DATABASE_URL", "jdbc:postgresql://postgres.maas-db.svc:5432/maas",
                    "MAAS_DATABASE_USER", "maas", "MAAS_DATABASE_PASSWORD", "a-database-password-of-the-installer"));
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command.getFirst() + " is needed to render the overlays (apt-get install " + command.getFirst() + ")", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + output).isZero();
        return output;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(f -> !from.relativize(f).toString().matches("([^/]+/)?secrets(/.*)?")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
