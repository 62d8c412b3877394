package io.maas.accelerators.kunlun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.Fixtures;
import org.junit.jupiter.api.Test;

class XpuSmiQueryTests {

    @Test
    void readsOneXpu() {
        assertThat(XpuSmiQuery.parse(Fixtures.read("xpu-smi-q-p800.txt"))).containsExactly(
                new Device("kunlun", 0, "P800 PCIe", 98304, 0L, 0, "0000:01:00.0", DeviceHealth.UNKNOWN));
    }

    @Test
    void readsTwoXpus() {
        assertThat(XpuSmiQuery.parse(Fixtures.read("xpu-smi-q-p800x2.txt"))).containsExactly(
                new Device("kunlun", 0, "P800 OAM", 98304, 40960L, 57, "0000:03:00.0", DeviceHealth.UNKNOWN),
                new Device("kunlun", 1, "P800 OAM", 98304, 0L, 0, "0000:05:00.0", DeviceHealth.UNKNOWN));
    }

    @Test
    void fewerXpusThanAttachedIsAnError() {
        String output = Fixtures.read("xpu-smi-q-p800x2.txt");
        String truncated = output.substring(0, output.indexOf("XPU 00000000:05:00.0"));

        assertThatThrownBy(() -> XpuSmiQuery.parse(truncated))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("says 2 XPUs are attached but lists 1");
    }

    @Test
    void missingTotalOrWrongUnitIsAnError() {
        String output = Fixtures.read("xpu-smi-q-p800.txt");

        assertThatThrownBy(() -> XpuSmiQuery.parse(output.replace("        Total                             : 98304 MiB\n", "")))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("a \"Memory Usage.Total\" line for this XPU");
        assertThatThrownBy(() -> XpuSmiQuery.parse(output.replace("98304 MiB", "96 GiB")))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("Memory Usage.Total as a number in MiB");
    }

    @Test
    void garbageIsAnError() {
        assertThatThrownBy(() -> XpuSmiQuery.parse("Segmentation fault (core dumped)"))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("no \"XPU <bus id>\" section");
    }
}
