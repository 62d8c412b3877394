package io.maas.accelerators.nvidia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvTests {

    private static final List<String> H100_FIELDS =
            List.of("index", "uuid", "name", "memory.total", "memory.used", "utilization.gpu", "temperature.gpu");
    private static final List<String> RTX_FIELDS =
            List.of("index", "name", "memory.total", "memory.used", "utilization.gpu", "temperature.gpu");

    @Test
    void readsEightH100sWithoutHeaderOrUnits() {
        List<Device> devices = NvidiaSmiCsv.parse(Fixtures.read("nvidia-smi-query-h100x8.csv"), H100_FIELDS);

        assertThat(devices).hasSize(8).extracting(Device::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(devices.get(3)).isEqualTo(new Device("nvidia", 3, "NVIDIA H100 80GB HBM3", 81559, 1L, 0, null, DeviceHealth.OK));
    }

    @Test
    void readsValuesWithUnits() {
        List<Device> devices = NvidiaSmiCsv.parse(Fixtures.read("nvidia-smi-query-rtx4080.csv"), RTX_FIELDS);

        assertThat(devices).containsExactly(
                new Device("nvidia", 0, "NVIDIA GeForce RTX 4080 SUPER", 16376, 1309L, 0, null, DeviceHealth.OK));
    }

    @Test
    void takesColumnsFromTheHeaderAndMarksFaults() {
        List<Device> devices = NvidiaSmiCsv.parse(Fixtures.read("nvidia-smi-query-header-units.csv"), NvidiaProvider.QUERY_FIELDS);

        assertThat(devices).containsExactly(
                new Device("nvidia", 4, "NVIDIA H200", 143771, 120311L, 87, "0000:9a:00.0", DeviceHealth.OK),
                new Device("nvidia", 5, "NVIDIA H200", 143771, 120298L, 85, "0000:ab:00.0", DeviceHealth.WARNING),
                new Device("nvidia", 6, "NVIDIA H200", 143771, null, null, "0000:ba:00.0", DeviceHealth.OK),
                new Device("nvidia", 7, "NVIDIA H200", 0, null, null, "0000:db:00.0", DeviceHealth.CRITICAL));
    }

    @Test
    void headerColumnsDecideTheOrder() {
        String output = """
                name, index, memory.total [MiB]
                Tesla T4, 1, 15360 MiB
                """;
        assertThatThrownBy(() -> NvidiaSmiCsv.parse(output, List.of("index", "name", "memory.total")))
                .as("a first line that is neither a header starting with index nor a row is an error")
                .isInstanceOf(DiscoveryException.class);

        String reordered = """
                index, memory.total [MiB], name
                1, 15360 MiB, Tesla T4
                """;
        assertThat(NvidiaSmiCsv.parse(reordered, List.of("index", "name", "memory.total")))
                .containsExactly(new Device("nvidia", 1, "Tesla T4", 15360, null, null, null, DeviceHealth.OK));
    }

    @Test
    void emptyOutputIsNoGpus() {
        assertThat(NvidiaSmiCsv.parse("\n", RTX_FIELDS)).isEmpty();
    }

    @Test
    void aLineCutShortIsAnErrorNamingTheLine() {
        String truncated = "0, NVIDIA H100 80GB HBM3, 81559, 0, 0, 31\n1, NVIDIA H100 80GB HBM3, 815";

        assertThatThrownBy(() -> NvidiaSmiCsv.parse(truncated, RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("nvidia-smi: cannot read line 2 \"1, NVIDIA H100 80GB HBM3, 815\"")
                .hasMessageContaining("6 comma-separated values");
    }

    @Test
    void extraOrMissingColumnsAreErrors() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA A100, 40960, 0, 0, 30, 250", RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class).hasMessageContaining("found 7");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA A100, 40960", RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class).hasMessageContaining("found 3");
    }

    @Test
    void garbageIsAnErrorNotADevice() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
                RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("zero, A, B, C, D, E", RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("a GPU index");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA A100, 40960, lots, 0, 30", RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("memory.used in MiB, found \"lots\"");
    }

    @Test
    void impossibleValuesAreErrors() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA A100, 40960, 50000, 0, 30", RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("used <= total");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA A100, 40960, 0, 0, 30\n0, NVIDIA A100, 40960, 0, 0, 30", RTX_FIELDS))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("index 0 appears twice");
    }
}
