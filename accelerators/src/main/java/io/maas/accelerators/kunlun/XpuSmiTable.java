package io.maas.accelerators.kunlun;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.PciBusId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the table {@code xpu-smi} prints without arguments, laid out like {@code nvidia-smi}'s: per XPU
 * a row {@code | <index> <name> [<persistence>] | <bus id> <disp> | <uncorrected ECC> |}, a row with
 * {@code <used>MiB / <total>MiB | <util>% ...}, and rows without an index (L3 usage) that are not read.
 *
 * <p>Rules: the persistence column is dropped from the name only when the header has one; ECC
 * errors above 0 mark the XPU {@link DeviceHealth#WARNING}. The process table is not read.
 */
final class XpuSmiTable {

    static final String TOOL = "xpu-smi";

    private static final Pattern FIRST_ROW = Pattern.compile("(\\d+)\\s+(\\S.*)");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*MiB\\s*/\\s*(\\d+)\\s*MiB");
    private static final Pattern UTILIZATION = Pattern.compile("(\\d+)\\s*%.*");

    private XpuSmiTable() {
    }

    static List<Device> parse(String output) {
        List<String> lines = output.lines().toList();
        int header = findHeader(lines);
        boolean hasPersistence = lines.get(header).contains("Persistence");
        List<Device> devices = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        Xpu current = null;
        int start = firstTableRow(lines, header);
        for (int i = start; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            boolean endOfTable = trimmed.isEmpty() || trimmed.contains("Processes:");
            if (current != null && (endOfTable || trimmed.startsWith("+"))) {
                Device device = current.toDevice();
                if (!indexes.add(device.index())) {
                    throw DiscoveryException.unreadable(TOOL, current.lineNumber, current.line,
                            "each XPU once, but index " + device.index() + " appears twice");
                }
                devices.add(device);
                current = null;
            }
            if (endOfTable) {
                break;
            }
            if (trimmed.startsWith("+")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() != 3) {
                throw DiscoveryException.unreadable(TOOL, i + 1, line, "three |-separated columns");
            }
            Matcher first = FIRST_ROW.matcher(cells.get(0));
            if (first.matches()) {
                if (current != null) {
                    throw DiscoveryException.unreadable(TOOL, i + 1, line, "the memory row of XPU " + current.index + " first");
                }
                current = new Xpu(line, i + 1, first, cells, hasPersistence);
            } else if (current == null) {
                throw DiscoveryException.unreadable(TOOL, i + 1, line, "an XPU row \"| <index> <name> | <bus id> | ...\"");
            } else if (!cells.get(0).isEmpty()) {
                current.readUsage(line, i + 1, cells);
            }
        }
        if (current != null) {
            throw DiscoveryException.unreadable(TOOL, "the table ends inside XPU " + current.index + " (output cut short?)");
        }
        devices.sort(Comparator.comparingInt(Device::index));
        return List.copyOf(devices);
    }

    private static int findHeader(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("XPU") && line.contains("Name") && line.contains("Bus-Id")) {
                return i;
            }
        }
        throw DiscoveryException.unreadable(TOOL, "no device table: expected a header \"| XPU Name ... | Bus-Id ... |\"");
    }

    private static int firstTableRow(List<String> lines, int header) {
        for (int i = header + 1; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("|==")) {
                return i + 1;
            }
        }
        throw DiscoveryException.unreadable(TOOL, "no \"|====\" line under the table header (output cut short?)");
    }

    private static List<String> cells(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("|") || !trimmed.endsWith("|") || trimmed.length() < 2) {
            return List.of();
        }
        return List.of(trimmed.substring(1, trimmed.length() - 1).split("\\|", -1)).stream().map(String::strip).toList();
    }

    /** One XPU while its rows are read. */
    private static final class Xpu {
        final String line;
        final int lineNumber;
        final int index;
        final String name;
        final String busId;
        final DeviceHealth health;
        Long totalMiB;
        Long usedMiB;
        Integer utilization;

        Xpu(String line, int lineNumber, Matcher first, List<String> cells, boolean hasPersistence) {
            this.line = line;
            this.lineNumber = lineNumber;
            this.index = Integer.parseInt(first.group(1));
            String rest = first.group(2).strip();
            int lastSpace = rest.lastIndexOf(' ');
            if (hasPersistence && lastSpace < 0) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, "an XPU name followed by the persistence mode");
            }
            this.name = hasPersistence ? rest.substring(0, lastSpace).strip() : rest;
            String[] bus = cells.get(1).split("\\s+");
            try {
                this.busId = PciBusId.normalize(bus[0]);
            } catch (IllegalArgumentException e) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, e.getMessage() + " in the second column");
            }
            String ecc = cells.get(2);
            if (ecc.matches("\\d{1,12}")) {
                this.health = Long.parseLong(ecc) > 0 ? DeviceHealth.WARNING : DeviceHealth.OK;
            } else if (ecc.equals("N/A")) {
                this.health = DeviceHealth.OK;
            } else {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, "an uncorrected ECC error count or N/A in the third column");
            }
        }

        void readUsage(String row, int rowNumber, List<String> cells) {
            Matcher memory = MEMORY.matcher(cells.get(1));
            Matcher utilizationMatch = UTILIZATION.matcher(cells.get(2));
            if (totalMiB != null || !memory.matches()) {
                throw DiscoveryException.unreadable(TOOL, rowNumber, row, "\"<used>MiB / <total>MiB\" in the second column, once per XPU");
            }
            usedMiB = Long.valueOf(memory.group(1));
            totalMiB = Long.valueOf(memory.group(2));
            utilization = utilizationMatch.matches() ? Integer.valueOf(utilizationMatch.group(1)) : null;
        }

        Device toDevice() {
            if (totalMiB == null) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, "a memory row \"<used>MiB / <total>MiB\" after this XPU row");
            }
            try {
                return new Device("kunlun", index, name, totalMiB, usedMiB, utilization, busId, health);
            } catch (IllegalArgumentException e) {
                throw DiscoveryException.unreadable(TOOL, lineNumber, line, e.getMessage());
            }
        }
    }
}
