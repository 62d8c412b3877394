package io.maas.accelerators.ascend;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.PciBusId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the device table of {@code npu-smi info}. Each chip is two rows:
 * <pre>
 * | NPU  Name          | Health | Power(W)  Temp(C)  Hugepages-Usage(page) |
 * | Chip [Device|Phy-ID] | Bus-Id | AICore(%) Memory-Usage(MB) [HBM-Usage(MB)] |
 * </pre>
 * Three layouts are known: 910B (Chip only, an HBM column), 310P ({@code Chip Device}, no HBM column;
 * the Atlas 300I Duo has two chips per NPU) and Atlas A3 ({@code Chip Phy-ID}, HBM, two chips per NPU).
 *
 * <p>Rules: the device index is the Device / Phy-ID column where the layout has one, else the NPU id
 * (one chip per NPU). Memory is HBM where there is an HBM column, else Memory-Usage; npu-smi's MB are
 * MiB. Health OK/Warning/Alarm/Critical map to OK/WARNING/CRITICAL/CRITICAL, other words to UNKNOWN.
 * A chip that reports its memory as {@code NA} is listed as CRITICAL with unknown memory (0), with a
 * warning, rather than failing the node or showing another memory as its HBM; a memory value that is
 * simply absent (output cut short) is still an error. The process table after the devices is not read.
 */
final class NpuSmiInfo {

    static final String TOOL = "npu-smi";

    private static final Pattern USAGE = Pattern.compile("(\\d+)\\s*/\\s*(\\d+)");
    private static final Pattern FIRST_ROW = Pattern.compile("(\\d+)\\s+(\\S.*)");
    private static final Pattern SECOND_ROW = Pattern.compile("(\\d+)(?:\\s+(\\d+))?");
    /** How npu-smi marks a value a chip does not report. */
    private static final Pattern NOT_REPORTED = Pattern.compile("(?<![A-Za-z/])(NA|N/A)(?![A-Za-z/])");
    private static final System.Logger LOG = System.getLogger(NpuSmiInfo.class.getName());

    private NpuSmiInfo() {
    }

    static List<Device> parse(String output) {
        List<String> lines = output.lines().toList();
        int header = findHeader(lines);
        String chipHeader = cells(lines.get(header + 1)).getFirst();
        boolean hasChipIndex = chipHeader.split("\\s+").length > 1;
        boolean hasHbm = lines.get(header + 1).contains("HBM");

        List<Device> devices = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        String[] pending = null;
        int pendingLine = 0;
        for (int i = header + 2; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("+")) {
                continue;
            }
            if (trimmed.contains("Process id") || trimmed.contains("No running processes")) {
                break;
            }
            List<String> cells = cells(line);
            if (cells.size() != 3) {
                throw DiscoveryException.unreadable(TOOL, i + 1, line, "three |-separated columns");
            }
            if (pending == null) {
                pending = cells.toArray(String[]::new);
                pendingLine = i + 1;
                if (!FIRST_ROW.matcher(pending[0]).matches() || PciBusId.isBusId(pending[1])) {
                    throw DiscoveryException.unreadable(TOOL, i + 1, line, "an NPU row \"| <npu> <name> | <health> | ...\"");
                }
                continue;
            }
            Device device = chip(lines.get(pendingLine - 1), pending, line, i + 1, cells, hasChipIndex, hasHbm);
            if (!indexes.add(device.index())) {
                throw DiscoveryException.unreadable(TOOL, i + 1, line, "each device once, but index " + device.index() + " appears twice");
            }
            devices.add(device);
            pending = null;
        }
        if (pending != null) {
            throw DiscoveryException.unreadable(TOOL, "the row with bus id and memory after line " + pendingLine
                    + " is missing (output cut short?)");
        }
        devices.sort(Comparator.comparingInt(Device::index));
        return List.copyOf(devices);
    }

    private static int findHeader(List<String> lines) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("NPU") && line.contains("Name") && line.contains("Health")
                    && lines.get(i + 1).contains("Chip") && lines.get(i + 1).contains("Bus-Id")) {
                return i;
            }
        }
        throw DiscoveryException.unreadable(TOOL, "no device table: expected a header \"| NPU Name | Health | ...\" "
                + "followed by \"| Chip | Bus-Id | ...\"");
    }

    private static Device chip(String firstLine, String[] first, String line, int lineNumber, List<String> second,
            boolean hasChipIndex, boolean hasHbm) {
        Matcher npu = FIRST_ROW.matcher(first[0]);
        Matcher chip = SECOND_ROW.matcher(second.get(0));
        if (!npu.matches() || !chip.matches() || hasChipIndex != (chip.group(2) != null)) {
            throw DiscoveryException.unreadable(TOOL, lineNumber, line, hasChipIndex
                    ? "a chip row \"| <chip> <device> | <bus id> | ...\" under \"" + firstLine.strip() + "\""
                    : "a chip row \"| <chip> | <bus id> | ...\" under \"" + firstLine.strip() + "\"");
        }
        if (!PciBusId.isBusId(second.get(1))) {
            throw DiscoveryException.unreadable(TOOL, lineNumber, line, "a PCI bus id in the second column");
        }
        String[] usage = second.get(2).split("\\s+", 2);
        List<long[]> pairs = USAGE.matcher(usage.length > 1 ? usage[1] : "").results()
                .map(m -> new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))})
                .toList();
        int expectedPairs = hasHbm ? 2 : 1;
        if (pairs.size() < expectedPairs && usage.length > 1 && NOT_REPORTED.matcher(usage[1]).find()) {
            String chipName = "NPU " + npu.group(1) + (hasChipIndex ? " device " + chip.group(2) : "");
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} reports its {2} as NA; it is listed as CRITICAL with unknown memory",
                    TOOL, chipName, hasHbm ? "HBM usage" : "memory usage");
            return device(npu, chip, second, hasChipIndex, usage[0], 0, null, DeviceHealth.CRITICAL, line, lineNumber);
        }
        if (pairs.size() != expectedPairs) {
            throw DiscoveryException.unreadable(TOOL, lineNumber, line, "AICore(%) followed by " + expectedPairs
                    + (hasHbm ? " used / total pairs (memory, HBM)" : " used / total pair (memory)"));
        }
        long[] memory = pairs.getLast();
        return device(npu, chip, second, hasChipIndex, usage[0], memory[1], memory[0], health(first[1]), line, lineNumber);
    }

    private static Device device(Matcher npu, Matcher chip, List<String> second, boolean hasChipIndex, String aiCore,
            long memoryTotal, Long memoryUsed, DeviceHealth health, String line, int lineNumber) {
        int index = Integer.parseInt(hasChipIndex ? chip.group(2) : npu.group(1));
        try {
            return new Device("ascend", index, npu.group(2).strip(), memoryTotal, memoryUsed, percent(aiCore),
                    PciBusId.normalize(second.get(1)), health);
        } catch (IllegalArgumentException e) {
            throw DiscoveryException.unreadable(TOOL, lineNumber, line, e.getMessage());
        }
    }

    private static Integer percent(String value) {
        return value.matches("\\d{1,3}") ? Integer.valueOf(value) : null;
    }

    private static DeviceHealth health(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "ok" -> DeviceHealth.OK;
            case "warning" -> DeviceHealth.WARNING;
            case "alarm", "critical" -> DeviceHealth.CRITICAL;
            default -> DeviceHealth.UNKNOWN;
        };
    }

    /** The cells of a {@code | a | b | c |} row, trimmed. */
    private static List<String> cells(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("|")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("|")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return List.of(trimmed.split("\\|", -1)).stream().map(String::strip).toList();
    }
}
