package io.maas.accelerators;

import io.maas.api.accelerator.AcceleratorProvider;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.ToolRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Asks every provider for its devices. A vendor whose tool is missing contributes nothing; a vendor
 * whose tool fails contributes an error, and the others are still asked.
 */
public final class DeviceInventory {

    private final List<AcceleratorProvider> providers;
    private final ToolRunner tools;

    public DeviceInventory(List<AcceleratorProvider> providers, ToolRunner tools) {
        this.providers = List.copyOf(providers);
        this.tools = tools;
    }

    /** The providers on the class path, running the tools found on {@code PATH}. */
    public static DeviceInventory onThisNode() {
        return new DeviceInventory(AcceleratorProviders.load().all(), ProcessToolRunner.fromEnvironment());
    }

    public NodeDevices discover() {
        List<Device> devices = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (AcceleratorProvider provider : providers) {
            try {
                devices.addAll(provider.discover(tools));
            } catch (DiscoveryException e) {
                errors.add(e.getMessage());
            } catch (RuntimeException e) {
                errors.add(provider.id() + ": provider failed while discovering devices: " + e);
            }
        }
        devices.sort(Comparator.comparing((Device device) -> device.vendor().equals("cpu"))
                .thenComparing(Device::vendor)
                .thenComparingInt(Device::index));
        return new NodeDevices(devices, errors);
    }
}
