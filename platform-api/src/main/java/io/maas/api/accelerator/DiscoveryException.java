package io.maas.api.accelerator;

/**
 * A vendor tool failed or printed something a provider cannot read. The message names the tool,
 * and for unreadable output the line, what was expected, and what to do.
 */
public class DiscoveryException extends RuntimeException {

    private final String tool;

    public DiscoveryException(String tool, String message) {
        super(tool + ": " + message);
        this.tool = tool;
    }

    public DiscoveryException(String tool, String message, Throwable cause) {
        super(tool + ": " + message, cause);
        this.tool = tool;
    }

    /** Output that does not have the expected form at line {@code lineNumber} (1-based). */
    public static DiscoveryException unreadable(String tool, int lineNumber, String line, String expected) {
        return new DiscoveryException(tool, "cannot read line " + lineNumber + " \"" + abbreviate(line.strip())
                + "\": expected " + expected + "; this output format is not supported, report it with the tool's full output");
    }

    /** Output that is unreadable as a whole (empty, cut short, without the expected table). */
    public static DiscoveryException unreadable(String tool, String problem) {
        return new DiscoveryException(tool, problem + "; this output format is not supported, report it with the tool's full output");
    }

    /** The tool whose output or run failed, e.g. {@code nvidia-smi}. */
    public String tool() {
        return tool;
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
