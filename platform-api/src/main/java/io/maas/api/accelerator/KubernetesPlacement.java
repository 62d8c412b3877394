package io.maas.api.accelerator;

import java.util.Map;
import java.util.Objects;

/**
 * How a pod asks for devices: the extended resource it requests ({@code nvidia.com/gpu: 8}) and the
 * node labels that pick nodes with the right model.
 *
 * @param resourceName the resource to put under {@code resources.limits}
 * @param nodeSelector labels for {@code spec.nodeSelector}; empty when the vendor's device plugin sets none
 */
public record KubernetesPlacement(String resourceName, Map<String, String> nodeSelector) {

    public KubernetesPlacement {
        Objects.requireNonNull(resourceName, "resourceName");
        nodeSelector = Map.copyOf(nodeSelector);
    }
}
