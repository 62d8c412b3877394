package io.maas.tenant.deployment.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import io.maas.tenant.deployment.provision.Provisioner;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code kubernetes} target: per deployment a {@code Deployment} (a replica per pod) or a {@code LeaderWorkerSet}
 * (a replica over several nodes) and a Service, in {@code platform.deployments.kubernetes.namespace}; see
 * {@link EngineObjects} for what they contain. An operator shapes the pods of one vendor with a PodTemplate
 * {@code maas-engine-<vendor>} in that namespace (driver mounts, priority, affinity), read at every write.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #apply} writes an object only when the generation it carries differs from the spec's: applying the
 *       same generation again makes no API write (and no rollout), whatever the configuration or the vendor's pod
 *       template says meanwhile; they take effect with the deployment's next change.</li>
 *   <li>Replicas are read from an informer over the engine pods of this namespace (one watch for all deployments),
 *       by the {@link EngineObjects#DEPLOYMENT_LABEL} label; until it has synced, from a list call.</li>
 *   <li>Everything it creates carries that label; {@link #delete} removes by it, so objects of an earlier
 *       process or an earlier shape (Deployment before LeaderWorkerSet) go too. Pods go with their owners.</li>
 * </ul>
 */
public final class KubernetesProvisioner implements Provisioner, AutoCloseable {

    private static final String BY_DEPLOYMENT = "deployment";
    static final String VENDOR_TEMPLATE_PREFIX = "maas-engine-";

    private final KubernetesClient client;
    private final String namespace;
    private final EngineObjects objects;
    private final AcceleratorProviders providers;
    private SharedIndexInformer<Pod> pods;

    public KubernetesProvisioner(KubernetesClient client, KubernetesProperties properties, AcceleratorProviders providers) {
        this.client = client;
        this.namespace = properties.namespace();
        this.objects = new EngineObjects(properties, providers);
        this.providers = providers;
    }

    @Override
    public String target() {
        return "kubernetes";
    }

    /** Names of pods in a LeaderWorkerSet are host names: the deployment's name must leave room for their suffixes. */
    @Override
    public void checkName(String name) {
        EngineObjects.checkName(name);
    }

    /** The nodes' allocatable vendor resources; see {@link NodeInventory} for the rule. */
    @Override
    public List<AcceleratorOffer> inventory() {
        return NodeInventory.offers(client.nodes().list().getItems(), providers);
    }

    /**
     * @throws IllegalArgumentException when the spec cannot run on Kubernetes as asked (the message says what to change)
     * @throws IllegalStateException    when the cluster lacks the LeaderWorkerSet API a multi-node replica needs
     */
    @Override
    public void apply(DeploymentSpec spec) {
        HasMetadata workload = objects.workload(spec, vendorPod(spec.vendor()));
        Service service = objects.service(spec);
        String id = spec.id().toString();
        if (workload instanceof Deployment deployment) {
            if (write(client.apps().deployments().resource(deployment), deployment)) {
                deleteLeaderWorkerSets(id);
            }
        } else {
            GenericKubernetesResource lws = (GenericKubernetesResource) workload;
            try {
                if (write(client.genericKubernetesResources(EngineObjects.LWS).resource(lws), lws)) {
                    client.apps().deployments().inNamespace(namespace).withLabel(EngineObjects.DEPLOYMENT_LABEL, id).delete();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    throw new IllegalStateException("the cluster has no LeaderWorkerSet API (" + EngineObjects.LWS_API_VERSION
                            + "), which a replica over " + spec.nodesPerReplica() + " nodes needs: install LeaderWorkerSet "
                            + "(https://lws.sigs.k8s.io) or choose accelerators that hold a replica on one node", e);
                }
                throw e;
            }
        }
        write(client.services().resource(service), service);
    }

    @Override
    public List<ReplicaObservation> observe(DeploymentSpec spec) {
        SharedIndexInformer<Pod> informer = informer();
        String id = spec.id().toString();
        List<Pod> found = informer.hasSynced() ? informer.getIndexer().byIndex(BY_DEPLOYMENT, id)
                : client.pods().inNamespace(namespace).withLabel(EngineObjects.DEPLOYMENT_LABEL, id).list().getItems();
        return PodReplicas.of(found);
    }

    @Override
    public void delete(DeploymentSpec spec) {
        String id = spec.id().toString();
        client.apps().deployments().inNamespace(namespace).withLabel(EngineObjects.DEPLOYMENT_LABEL, id).delete();
        deleteLeaderWorkerSets(id);
        client.services().inNamespace(namespace).withLabel(EngineObjects.DEPLOYMENT_LABEL, id).delete();
    }

    /** Stops the pod informer and waits (a few seconds at most) until its watch is closed. */
    @Override
    public synchronized void close() {
        if (pods != null) {
            pods.stop();
            try {
                pods.stopped().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // stopping is all that is left to do; an informer that ended with an error is stopped too
            }
            pods = null;
        }
    }

    /** The operator's {@code maas-engine-<vendor>} PodTemplate in the engines' namespace, or an empty pod. */
    private PodSpec vendorPod(String vendor) {
        PodTemplate template = client.resources(PodTemplate.class).inNamespace(namespace).withName(VENDOR_TEMPLATE_PREFIX + vendor).get();
        return template == null || template.getTemplate() == null || template.getTemplate().getSpec() == null ? new PodSpec()
                : template.getTemplate().getSpec();
    }

    /** Writes {@code desired} unless the object carries its generation already; says whether it wrote. */
    private <T extends HasMetadata> boolean write(Resource<T> resource, T desired) {
        T current = resource.get();
        if (current != null && Objects.equals(generation(current), generation(desired))) {
            return false;
        }
        resource.createOr(NonDeletingOperation::update);
        return true;
    }

    /** Those of a deployment; none when the cluster has no LeaderWorkerSet API. */
    private void deleteLeaderWorkerSets(String deploymentId) {
        try {
            client.genericKubernetesResources(EngineObjects.LWS).inNamespace(namespace)
                    .withLabel(EngineObjects.DEPLOYMENT_LABEL, deploymentId).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    private static String generation(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(EngineObjects.GENERATION_ANNOTATION);
    }

    /** The pod informer, started on first use and again after it stopped (a failed initial list ends it). */
    private synchronized SharedIndexInformer<Pod> informer() {
        if (pods == null || !pods.isRunning()) {
            close();
            pods = client.pods().inNamespace(namespace)
                    .withLabel(EngineObjects.MANAGED_BY_LABEL, EngineObjects.MANAGED_BY)
                    .runnableInformer(0);
            pods.addIndexers(Map.of(BY_DEPLOYMENT, pod -> {
                String id = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(EngineObjects.DEPLOYMENT_LABEL);
                return id == null ? List.of() : List.of(id);
            }));
            pods.start();
        }
        return pods;
    }
}
