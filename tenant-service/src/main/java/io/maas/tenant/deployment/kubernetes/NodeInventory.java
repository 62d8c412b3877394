package io.maas.tenant.deployment.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.maas.accelerators.fit.AcceleratorSpec;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.KubernetesPlacement;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accelerators a cluster's nodes offer, in the fit calculator's terms.
 *
 * <p>Rule: a node offers accelerator type {@code t} when it has allocatable devices of the resource the vendor's
 * provider asks for {@code t} ({@link io.maas.api.accelerator.AcceleratorProvider#kubernetesPlacement}) and carries all
 * of that placement's node-selector labels: the same rule that schedules a pod there. Where several types match, the
 * one with the most specific selector wins ({@code nvidia.com/gpu.product} picks H100 or H200). Nodes that are not
 * Ready, or cordoned, offer nothing; nor do nodes with a device no type of the catalog matches. Nodes are grouped by
 * type and allocatable count: one offer per group, naming its nodes.
 */
final class NodeInventory {

    private record Candidate(AcceleratorSpec accelerator, KubernetesPlacement placement) {
    }

    private record Group(Candidate kind, int devices) {
    }

    private NodeInventory() {
    }

    static List<AcceleratorOffer> offers(List<Node> nodes, AcceleratorProviders providers) {
        List<Candidate> candidates = AcceleratorSpec.CATALOG.stream()
                .map(spec -> new Candidate(spec, providers.require(spec.vendor()).kubernetesPlacement(spec.deviceName())))
                .sorted(Comparator.comparingInt((Candidate c) -> -c.placement().nodeSelector().size()))
                .toList();
        Map<Group, List<String>> nodesByGroup = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (!schedulable(node)) {
                continue;
            }
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            for (Candidate candidate : candidates) {
                int devices = allocatable(node, candidate.placement().resourceName());
                if (devices > 0 && labels.entrySet().containsAll(candidate.placement().nodeSelector().entrySet())) {
                    nodesByGroup.computeIfAbsent(new Group(candidate, devices), group -> new ArrayList<>()).add(node.getMetadata().getName());
                    break;
                }
            }
        }
        return nodesByGroup.entrySet().stream()
                .map(entry -> {
                    Candidate kind = entry.getKey().kind();
                    return new AcceleratorOffer(kind.accelerator().vendor(), kind.accelerator().id(), entry.getKey().devices(),
                            entry.getValue().size(), "allocatable " + kind.placement().resourceName() + " of "
                            + String.join(", ", entry.getValue()));
                })
                .sorted(Comparator.comparing(AcceleratorOffer::type)
                        .thenComparing(Comparator.comparingInt(AcceleratorOffer::devicesPerNode).reversed()))
                .toList();
    }

    private static boolean schedulable(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        return node.getStatus() != null && node.getStatus().getConditions().stream()
                .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
    }

    private static int allocatable(Node node, String resource) {
        return Optional.ofNullable(node.getStatus().getAllocatable()).map(allocatable -> allocatable.get(resource))
                .map(Quantity::getNumericalAmount).map(amount -> amount.intValue()).orElse(0);
    }
}
