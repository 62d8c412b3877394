package io.maas.tenant.deployment.provision;

/**
 * Accelerators of one kind that a target offers.
 *
 * @param vendor         {@code nvidia}, {@code ascend}, {@code kunlun} or {@code cpu}
 * @param type           the fit calculator's accelerator id ({@code h100}, {@code h200}, {@code 910b}, {@code p800}; {@code cpu})
 * @param devicesPerNode the most devices of this kind one node (or this machine) has
 * @param nodes          how many nodes offer that many
 * @param source         where this was read: {@code nvidia-smi}, a node's allocatable {@code nvidia.com/gpu}, …
 */
public record AcceleratorOffer(String vendor, String type, int devicesPerNode, int nodes, String source) {
}
