package io.maas.api.accelerator;

import java.util.Objects;

/** A finished run of a vendor tool. */
public record ToolOutput(int exitCode, String stdout, String stderr) {

    public ToolOutput {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** A run that exited 0 and printed {@code stdout}. */
    public static ToolOutput success(String stdout) {
        return new ToolOutput(0, stdout, "");
    }

    /**
     * The standard output of a successful run.
     *
     * @throws DiscoveryException naming the tool, its exit code and its first error line when it failed
     */
    public String stdoutOrThrow(String tool) {
        if (exitCode != 0) {
            String reason = firstLine(stderr.isBlank() ? stdout : stderr);
            throw new DiscoveryException(tool, "exited with code " + exitCode
                    + (reason.isEmpty() ? "" : ": " + reason)
                    + "; run it by hand to see why (driver not loaded, device lost, permissions)");
        }
        return stdout;
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }
}
