package io.maas.accelerators;

import io.maas.api.accelerator.Device;
import java.util.List;

/**
 * The devices found on this node, and for each vendor whose tool failed, the reason.
 *
 * @param devices accelerators by vendor and index, the CPU last
 * @param errors  one message per failed vendor, naming the tool; empty when discovery succeeded
 */
public record NodeDevices(List<Device> devices, List<String> errors) {

    public NodeDevices {
        devices = List.copyOf(devices);
        errors = List.copyOf(errors);
    }
}
