package io.maas.accelerators;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PCI bus ids as vendor tools print them ({@code 00000000:3B:00.0}, {@code 0000:C1:00.0}), in one form. */
public final class PciBusId {

    private static final Pattern BUS_ID = Pattern.compile("([0-9a-fA-F]{4,8}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    private PciBusId() {
    }

    public static boolean isBusId(String text) {
        return BUS_ID.matcher(text.strip()).matches();
    }

    /**
     * The Linux sysfs form: lower case, a four-digit domain unless the domain needs more.
     *
     * @throws IllegalArgumentException when {@code text} is not a PCI bus id
     */
    public static String normalize(String text) {
        Matcher matcher = BUS_ID.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a PCI bus id like 0000:3b:00.0");
        }
        long domain = Long.parseLong(matcher.group(1), 16);
        String bus = String.format(Locale.ROOT, domain > 0xFFFF ? "%08x" : "%04x", domain);
        return (bus + ":" + matcher.group(2) + ":" + matcher.group(3) + "." + matcher.group(4)).toLowerCase(Locale.ROOT);
    }
}
