package io.maas.accelerators.kunlun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.Fixtures;
import org.junit.jupiter.api.Test;

class XpuSmiTableTests {

    @Test
    void readsTwoP800s() {
        assertThat(XpuSmiTable.parse(Fixtures.read("xpu-smi-p800.txt"))).containsExactly(
                new Device("kunlun", 0, "P800 OAM", 98304, 0L, 0, "0000:03:00.0", DeviceHealth.OK),
                new Device("kunlun", 1, "P800 OAM", 98304, 0L, 0, "0000:05:00.0", DeviceHealth.OK));
    }

    @Test
    void readsBusyXpusFromIndexFourWithEccErrors() {
        assertThat(XpuSmiTable.parse(Fixtures.read("xpu-smi-p800-index4.txt"))).containsExactly(
                new Device("kunlun", 4, "P800 OAM", 98304, 88120L, 93, "0000:43:00.0", DeviceHealth.OK),
                new Device("kunlun", 5, "P800 OAM", 98304, 88004L, 91, "0000:45:00.0", DeviceHealth.WARNING));
    }

    @Test
    void withoutPersistenceColumnTheWholeRestIsTheName() {
        String output = Fixtures.read("xpu-smi-p800.txt").replace("Persistence-M", "             ")
                .replace("P800 OAM           N/A   ", "P800 OAM                 ");

        assertThat(XpuSmiTable.parse(output)).extracting(Device::name).containsOnly("P800 OAM");
    }

    @Test
    void outputCutInsideAnXpuIsAnError() {
        String output = Fixtures.read("xpu-smi-p800.txt");
        String truncated = output.substring(0, output.indexOf("| N/A   41C"));

        assertThatThrownBy(() -> XpuSmiTable.parse(truncated))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("the table ends inside XPU 1");
    }

    @Test
    void aMemoryRowWithoutTotalIsAnError() {
        String output = Fixtures.read("xpu-smi-p800.txt").replaceFirst("0MiB / 98304MiB", "0MiB / ?????MiB");

        assertThatThrownBy(() -> XpuSmiTable.parse(output))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("cannot read line 10")
                .hasMessageContaining("<used>MiB / <total>MiB");
    }

    @Test
    void garbageIsAnError() {
        assertThatThrownBy(() -> XpuSmiTable.parse("xpu-smi: error while loading shared libraries: libxpuml.so\n"))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("xpu-smi: no device table");
    }
}
