package io.maas.accelerators.kunlun;

import io.maas.api.accelerator.Device;
import io.maas.api.accelerator.DeviceHealth;
import io.maas.api.accelerator.DiscoveryException;
import io.maas.accelerators.PciBusId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code xpu-smi -q}: per XPU a line {@code XPU <bus id>} and indented {@code key : value} lines,
 * grouped under lines without a colon ({@code Memory Usage} / {@code Total : 98304 MiB}).
 *
 * <p>Rules: the index is {@code Minor Number}; {@code Attached XPUs} must match the XPUs listed.
 * This form reports no health, so devices read from it are {@link DeviceHealth#UNKNOWN}.
 */
final class XpuSmiQuery {

    private static final Pattern SECTION = Pattern.compile("XPU\\s+(\\S+)");
    private static final Pattern KEY_VALUE = Pattern.compile("(\\s*)([^:]+?)\\s*:\\s*(.*)");
    private static final Pattern QUANTITY = Pattern.compile("(\\d+)\\s*(MiB|%)?");

    private XpuSmiQuery() {
    }

    static List<Device> parse(String output) {
        List<String> lines = output.lines().toList();
        List<Section> sections = new ArrayList<>();
        Integer attached = null;
        Section current = null;
        String group = null;
        int groupIndent = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("====")) {
                continue;
            }
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                current = new Section(line, i + 1, section.group(1));
                sections.add(current);
                group = null;
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            Matcher keyValue = KEY_VALUE.matcher(line);
            if (!keyValue.matches()) {
                group = line.strip();
                groupIndent = indent;
                continue;
            }
            String key = keyValue.group(2).strip();
            if (group != null && indent > groupIndent) {
                key = group + "." + key;
            } else {
                group = null;
            }
            if (current == null) {
                if (key.equals("Attached XPUs")) {
                    attached = count(keyValue.group(3), line, i + 1);
                }
            } else {
                current.values.put(key, new Value(keyValue.group(3).strip(), line, i + 1));
            }
        }
        if (sections.isEmpty()) {
            throw DiscoveryException.unreadable(XpuSmiTable.TOOL, "no \"XPU <bus id>\" section in xpu-smi -q output");
        }
        if (attached != null && attached != sections.size()) {
            throw DiscoveryException.unreadable(XpuSmiTable.TOOL, "xpu-smi -q says " + attached + " XPUs are attached but lists "
                    + sections.size() + " (output cut short?)");
        }
        List<Device> devices = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        for (Section s : sections) {
            Device device = s.toDevice();
            if (!indexes.add(device.index())) {
                throw DiscoveryException.unreadable(XpuSmiTable.TOOL, s.lineNumber, s.line,
                        "each XPU once, but minor number " + device.index() + " appears twice");
            }
            devices.add(device);
        }
        devices.sort(Comparator.comparingInt(Device::index));
        return List.copyOf(devices);
    }

    private static int count(String value, String line, int lineNumber) {
        if (!value.strip().matches("\\d{1,6}")) {
            throw DiscoveryException.unreadable(XpuSmiTable.TOOL, lineNumber, line, "a number of attached XPUs");
        }
        return Integer.parseInt(value.strip());
    }

    private record Value(String text, String line, int lineNumber) {
    }

    /** The key/value lines of one XPU. */
    private static final class Section {
        final String line;
        final int lineNumber;
        final String busId;
        final Map<String, Value> values = new HashMap<>();

        Section(String line, int lineNumber, String busId) {
            this.line = line;
            this.lineNumber = lineNumber;
            this.busId = busId;
        }

        Device toDevice() {
            Long index = quantity("Minor Number", "", true);
            Value name = values.get("Product Name");
            if (name == null || name.text().isEmpty()) {
                throw missing("Product Name");
            }
            try {
                return new Device("kunlun", index.intValue(), name.text(), quantity("Memory Usage.Total", "MiB", true),
                        quantity("Memory Usage.Used", "MiB", false), percent(), PciBusId.normalize(busId), DeviceHealth.UNKNOWN);
            } catch (IllegalArgumentException e) {
                throw DiscoveryException.unreadable(XpuSmiTable.TOOL, lineNumber, line, e.getMessage());
            }
        }

        private Integer percent() {
            Long utilization = quantity("Utilization.Xpu", "%", false);
            return utilization == null ? null : utilization.intValue();
        }

        private Long quantity(String key, String unit, boolean required) {
            Value value = values.get(key);
            if (value == null || value.text().equals("N/A")) {
                if (required) {
                    throw missing(key);
                }
                return null;
            }
            Matcher matcher = QUANTITY.matcher(value.text());
            if (!matcher.matches() || !unit.equals(matcher.group(2) == null ? "" : matcher.group(2)) || matcher.group(1).length() > 12) {
                throw DiscoveryException.unreadable(XpuSmiTable.TOOL, value.lineNumber(), value.line(),
                        key + " as a number" + (unit.isEmpty() ? "" : " in " + unit));
            }
            return Long.valueOf(matcher.group(1));
        }

        private DiscoveryException missing(String key) {
            return DiscoveryException.unreadable(XpuSmiTable.TOOL, lineNumber, line, "a \"" + key + "\" line for this XPU");
        }
    }
}
