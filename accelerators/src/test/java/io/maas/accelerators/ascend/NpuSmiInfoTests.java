package io.maas.accelerators.ascend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpuSmiInfoTests {

    @Test
    void reads910bWithHbmAsDeviceMemory() {
        List<Device> devices = NpuSmiInfo.parse(Fixtures.read("npu-smi-info-910b.txt"));

        assertThat(devices).containsExactly(
                new Device("ascend", 0, "910B", 32768, 1365L, 0, "0000:c1:00.0", DeviceHealth.OK),
                new Device("ascend", 1, "910B", 32768, 4L, 0, "0000:81:00.0", DeviceHealth.OK),
                new Device("ascend", 2, "910B", 32768, 4L, 0, "0000:41:00.0", DeviceHealth.OK));
    }

    @Test
    void reads310pWithoutHbmColumn() {
        List<Device> devices = NpuSmiInfo.parse(Fixtures.read("npu-smi-info-310p3.txt"));

        assertThat(devices).containsExactly(
                new Device("ascend", 0, "310P3", 21534, 1074L, 0, "0000:82:00.0", DeviceHealth.OK),
                new Device("ascend", 1, "310P3", 21534, 1070L, 0, "0000:89:00.0", DeviceHealth.OK));
    }

    @Test
    void readsAtlasA3WithTwoChipsPerNpuIndexedByPhysicalId() {
        List<Device> devices = NpuSmiInfo.parse(Fixtures.read("npu-smi-info-a3.txt"));

        assertThat(devices).containsExactly(
                new Device("ascend", 0, "Ascend910", 65536, 3397L, 0, "0000:9d:00.0", DeviceHealth.OK),
                new Device("ascend", 1, "Ascend910", 65536, 3186L, 0, "0000:9f:00.0", DeviceHealth.OK),
                new Device("ascend", 2, "Ascend910", 65536, 41250L, 12, "0000:99:00.0", DeviceHealth.OK),
                new Device("ascend", 3, "Ascend910", 65536, 40987L, 9, "0000:9b:00.0", DeviceHealth.WARNING));
    }

    @Test
    void readsTwoChipsOfOneDuoCardStartingAtNpuTwo() {
        List<Device> devices = NpuSmiInfo.parse(Fixtures.read("npu-smi-info-300i-duo.txt"));

        assertThat(devices).extracting(Device::index, Device::memoryTotalMiB, Device::busId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 44280L, "0000:01:00.0"),
                        org.assertj.core.groups.Tuple.tuple(1, 43693L, "0000:01:00.0"));
    }

    @Test
    void npuIdIsTheIndexWhenTheLayoutHasNoDeviceColumn() {
        String output = Fixtures.read("npu-smi-info-910b.txt").replace("| 0     910B ", "| 4     910B ")
                .replace("| 1     910B ", "| 5     910B ").replace("| 2     910B ", "| 6     910B ");

        assertThat(NpuSmiInfo.parse(output)).extracting(Device::index).containsExactly(4, 5, 6);
    }

    @Test
    void healthWordsMapToThePlatformScale() {
        String output = Fixtures.read("npu-smi-info-910b.txt")
                .replaceFirst("\\| OK   ", "| Alarm")
                .replaceFirst("\\| OK   ", "| Dead ");

        assertThat(NpuSmiInfo.parse(output)).extracting(Device::health)
                .containsExactly(DeviceHealth.CRITICAL, DeviceHealth.UNKNOWN, DeviceHealth.OK);
    }

    @Test
    void outputCutAfterAnNpuRowIsAnError() {
        String output = Fixtures.read("npu-smi-info-910b.txt");
        String truncated = output.substring(0, output.indexOf("| 0                         | 0000:81:00.0"));

        assertThatThrownBy(() -> NpuSmiInfo.parse(truncated))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("the row with bus id and memory after line 10 is missing");
    }

    @Test
    void outputCutInsideARowIsAnError() {
        String output = Fixtures.read("npu-smi-info-910b.txt");
        String truncated = output.substring(0, output.indexOf("4    / 32768", output.indexOf("0000:81:00.0")) + 5);

        assertThatThrownBy(() -> NpuSmiInfo.parse(truncated))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("line 11");
    }

    @Test
    void missingHbmPairIsAnErrorNotTheWrongMemory() {
        String output = Fixtures.read("npu-smi-info-910b.txt").replace("1365 / 32768", "            ");

        assertThatThrownBy(() -> NpuSmiInfo.parse(output))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("cannot read line 8")
                .hasMessageContaining("2 used / total pairs (memory, HBM)");
    }

    @Test
    void aChipThatReportsItsHbmAsNaIsCriticalWithUnknownMemoryAndTheOthersAreRead() {
        List<Device> devices;
        List<String> warnings;
        try (var log = Fixtures.Warnings.of(NpuSmiInfo.class)) {
            devices = NpuSmiInfo.parse(Fixtures.read("npu-smi-info-910b-hbm-na.txt"));
            warnings = log.messages();
        }

        assertThat(devices).extracting(Device::index, Device::memoryTotalMiB, Device::health).containsExactly(
                tuple(0, 32768L, DeviceHealth.OK), tuple(1, 0L, DeviceHealth.CRITICAL), tuple(2, 32768L, DeviceHealth.OK));
        assertThat(warnings).singleElement().asString().contains("npu-smi: NPU 1 reports its HBM usage as NA");
    }

    @Test
    void garbageIsAnError() {
        assertThatThrownBy(() -> NpuSmiInfo.parse("dcmi module initialize failed. ret is -8005\n"))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("npu-smi: no device table");
        assertThatThrownBy(() -> NpuSmiInfo.parse(""))
                .isInstanceOf(DiscoveryException.class);
    }

    @Test
    void rowsOutOfOrderAreAnError() {
        String output = Fixtures.read("npu-smi-info-910b.txt");
        String swapped = output.replace("| 0     910B                | OK            | 70.0        34                0    / 0             |\n", "");

        assertThatThrownBy(() -> NpuSmiInfo.parse(swapped))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("cannot read line 7");
    }
}
