package io.maas.api.accelerator;

import java.util.Objects;

/**
 * One device as its vendor tool reports it.
 *
 * @param vendor             the provider's {@link AcceleratorProvider#id()}
 * @param index              the index the visible-devices variable takes; not necessarily starting at 0
 * @param name               the model as the tool prints it, e.g. {@code NVIDIA H100 80GB HBM3}, {@code 910B3}
 * @param memoryTotalMiB     device memory (HBM where the chip has it); 0 only when the tool could not
 *                           read it, and then {@link #health()} is {@link DeviceHealth#CRITICAL}
 * @param memoryUsedMiB      memory in use, null when the tool does not report it
 * @param utilizationPercent compute utilization 0–100, null when the tool does not report it
 * @param busId              PCI bus id in Linux form, lower case ({@code 0000:c1:00.0}); null where there is none (CPU)
 * @param health             the health on the platform's scale
 */
public record Device(
        String vendor,
        int index,
        String name,
        long memoryTotalMiB,
        Long memoryUsedMiB,
        Integer utilizationPercent,
        String busId,
        DeviceHealth health) {

    public Device {
        requireText(vendor, "vendor");
        requireText(name, "name");
        Objects.requireNonNull(health, "health");
        if (index < 0) {
            throw new IllegalArgumentException("device index must be 0 or more, was " + index);
        }
        if (memoryTotalMiB < 0 || memoryUsedMiB != null && (memoryUsedMiB < 0 || memoryUsedMiB > memoryTotalMiB)) {
            throw new IllegalArgumentException("device memory must be 0 <= used <= total, was used "
                    + memoryUsedMiB + " of " + memoryTotalMiB + " MiB");
        }
        if (utilizationPercent != null && (utilizationPercent < 0 || utilizationPercent > 100)) {
            throw new IllegalArgumentException("utilization must be 0-100 %, was " + utilizationPercent);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("device " + what + " must not be blank");
        }
    }
}
