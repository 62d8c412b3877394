package io.maas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A one-line description of the machine a benchmark ran on, saved with its results. */
public final class Machine {

    private Machine() {
    }

    public static String describe() {
        return "%s; %d cores; %d MiB RAM; %s %s; Java %s (%s)".formatted(
                cpuModel(), Runtime.getRuntime().availableProcessors(), memoryMiB(),
                System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static long memoryMiB() {
        return firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024)
                .orElse(Runtime.getRuntime().maxMemory() >> 20);
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
