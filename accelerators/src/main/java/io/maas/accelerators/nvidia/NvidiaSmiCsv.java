package io.maas.accelerators.nvidia;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.PciBusId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code nvidia-smi --query-gpu=<fields> --format=csv[,noheader][,nounits]}.
 *
 * <p>Rules: columns are taken from the header when there is one (units in brackets are ignored),
 * otherwise from the requested field list; fields this reader does not use are skipped.
 * {@code [N/A]} and {@code [Not Supported]} mean "not reported"; any other bracketed value
 * ({@code [Unknown Error]}, {@code [GPU requires reset]}) marks the GPU {@link DeviceHealth#CRITICAL};
 * uncorrected volatile ECC errors above 0 mark it {@link DeviceHealth#WARNING}. Anything else that is
 * not a number where a number belongs is an error.
 */
final class NvidiaSmiCsv {

    static final String TOOL = "nvidia-smi";

    private NvidiaSmiCsv() {
    }

    static List<Device> parse(String output, List<String> requestedFields) {
        List<String> lines = output.lines().toList();
        List<String> fields = requestedFields;
        List<Device> devices = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (first && isHeader(line)) {
                fields = headerFields(line, i + 1, requestedFields);
                first = false;
                continue;
            }
            first = false;
            Device device = row(line, i + 1, fields);
            if (!indexes.add(device.index())) {
                throw DiscoveryException.unreadable(TOOL, i + 1, line, "each GPU once, but index " + device.index() + " appears twice");
            }
            devices.add(device);
        }
        devices.sort(Comparator.comparingInt(Device::index));
        return List.copyOf(devices);
    }

    private static boolean isHeader(String line) {
        return line.strip().toLowerCase().startsWith("index");
    }

    private static List<String> headerFields(String line, int lineNumber, List<String> requested) {
        List<String> names = Arrays.stream(line.split(",", -1)).map(cell -> cell.replaceAll("\\[.*]", "").strip()).toList();
        if (!Set.copyOf(names).containsAll(List.of("index", "name", "memory.total"))) {
            throw DiscoveryException.unreadable(TOOL, lineNumber, line, "a header with index, name and memory.total (asked for "
                    + String.join(",", requested) + ")");
        }
        return names;
    }

    private static Device row(String line, int lineNumber, List<String> fields) {
        String[] cells = line.split(",", -1);
        if (cells.length != fields.size()) {
            throw DiscoveryException.unreadable(TOOL, lineNumber, line,
                    fields.size() + " comma-separated values (" + String.join(", ", fields) + "), found " + cells.length);
        }
        Row row = new Row(line, lineNumber);
        for (int c = 0; c < cells.length; c++) {
            row.read(fields.get(c), cells[c].strip());
        }
        return row.toDevice();
    }

    /** The values of one CSV line as they are read, column by column. */
    private static final class Row {
        private final String line;
        private final int lineNumber;
        private Integer index;
        private String name;
        private long totalMiB;
        private Long usedMiB;
        private Integer utilization;
        private String busId;
        private DeviceHealth health = DeviceHealth.OK;

        Row(String line, int lineNumber) {
            this.line = line;
            this.lineNumber = lineNumber;
        }

        void read(String field, String value) {
            switch (field) {
                case "index" -> index = (int) number(value, "", "a GPU index");
                case "name" -> name = value.isEmpty() || value.startsWith("[") ? null : value;
                case "memory.total" -> totalMiB = orZero(optionalNumber(value, "MiB", "memory.total in MiB"));
                case "memory.used" -> usedMiB = optionalNumber(value, "MiB", "memory.used in MiB");
                case "utilization.gpu" -> utilization = toInteger(optionalNumber(value, "%", "utilization.gpu in %"));
                case "pci.bus_id" -> busId = busId(value);
                case "ecc.errors.uncorrected.volatile.total" -> {
                    Long errors = optionalNumber(value, "", "an ECC error count");
                    if (errors != null && errors > 0 && health == DeviceHealth.OK) {
                        health = DeviceHealth.WARNING;
                    }
                }
                default -> {
                    // a field this reader does not use (uuid, temperature.gpu, ...)
                }
            }
        }

        Device toDevice() {
            if (index == null || name == null) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, "a GPU index and name");
            }
            try {
                return new Device("nvidia", index, name, totalMiB, usedMiB, utilization, busId, health);
            } catch (IllegalArgumentException e) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, e.getMessage());
            }
        }

        private long number(String value, String unit, String expected) {
            Long number = optionalNumber(value, unit, expected);
            if (number == null) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, expected);
            }
            return number;
        }

        /** A number, with or without {@code unit}; null for "not reported" and for a fault marker (which marks the GPU). */
        private Long optionalNumber(String value, String unit, String expected) {
            if (value.equals("[N/A]") || value.equals("N/A") || value.equals("[Not Supported]")) {
                return null;
            }
            if (value.startsWith("[") && value.endsWith("]")) {
                health = DeviceHealth.CRITICAL;
                return null;
            }
            String digits = unit.isEmpty() || !value.endsWith(unit) ? value : value.substring(0, value.length() - unit.length()).strip();
            if (!digits.matches("\\d{1,12}")) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, expected + ", found \"" + value + "\"");
            }
            return Long.parseLong(digits);
        }

        private String busId(String value) {
            if (value.startsWith("[")) {
                return null;
            }
            try {
                return PciBusId.normalize(value);
            } catch (IllegalArgumentException e) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, e.getMessage() + ", found \"" + value + "\"");
            }
        }

        private static long orZero(Long value) {
            return value == null ? 0 : value;
        }

        private static Integer toInteger(Long value) {
            return value == null ? null : (int) Math.min(value, Integer.MAX_VALUE);
        }
    }
}
