package io.maas.engine.llamacpp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Finds out why llama.cpp refused a model. llama.cpp writes the cause (a missing key, a wrong type,
 * a missing tensor) to the process's stderr, which Java cannot capture in-process, so the load is
 * repeated in a child JVM ({@link LoadProbe}) whose stderr is read.
 */
final class LoadDiagnostics {

    private static final Pattern CAUSE = Pattern.compile(
            "(?i).*\\b(error|failed|missing|wrong|invalid|unknown|unsupported|expected|cannot)\\b.*");
    private static final int MAX_LINES = 6;
    private static final long TIMEOUT_SECONDS = 60;

    private LoadDiagnostics() {
    }

    /** llama.cpp's own words for the failure, or a note that they could not be obtained. */
    static String explain(Path model) {
        try {
            Process process = new ProcessBuilder(command(model)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "(llama.cpp's diagnostics timed out)";
            }
            List<String> causes = causes(new String(output, StandardCharsets.UTF_8));
            return causes.isEmpty() ? "(llama.cpp printed no cause)" : String.join("; ", causes);
        } catch (IOException e) {
            return "(llama.cpp's diagnostics could not be run: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted while reading llama.cpp's diagnostics)";
        }
    }

    /** The lines of llama.cpp's log that name a cause, in order, without repeats. */
    static List<String> causes(String log) {
        List<String> causes = new ArrayList<>();
        for (String line : log.split("\\R")) {
            String cause = line.strip();
            if (CAUSE.matcher(cause).matches() && !causes.contains(cause) && causes.size() < MAX_LINES) {
                causes.add(cause);
            }
        }
        return causes;
    }

    private static List<String> command(Path model) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path")));
        if (LoadProbe.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
            // inside Spring Boot's executable jar: let its launcher find the nested classes
            command.add("-Dloader.main=" + LoadProbe.class.getName());
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add(LoadProbe.class.getName());
        }
        command.add(model.toAbsolutePath().toString());
        return command;
    }
}
