package io.maas.engine.cli;

import io.maas.api.accelerator.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Devices as an aligned text table, one row per device. */
final class DeviceTable {

    private static final List<String> HEADER = List.of("VENDOR", "INDEX", "NAME", "MEMORY USED/TOTAL (MiB)", "UTIL", "BUS ID", "HEALTH");

    private DeviceTable() {
    }

    static String format(List<Device> devices) {
        if (devices.isEmpty()) {
            return "no devices found" + System.lineSeparator();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Device device : devices) {
            rows.add(List.of(device.vendor(), Integer.toString(device.index()), device.name(),
                    Objects.toString(device.memoryUsedMiB(), "-") + " / " + device.memoryTotalMiB(),
                    device.utilizationPercent() == null ? "-" : device.utilizationPercent() + "%",
                    Objects.toString(device.busId(), "-"), device.health().id()));
        }
        int[] widths = new int[HEADER.size()];
        rows.forEach(row -> {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        });
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                table.append(c == row.size() - 1 ? row.get(c) : String.format("%-" + (widths[c] + 2) + "s", row.get(c)));
            }
            table.append(System.lineSeparator());
        }
        return table.toString();
    }
}
