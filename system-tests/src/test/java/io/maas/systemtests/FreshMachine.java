package io.maas.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * This machine as a fresh one with only a JDK looks to {@code ./platform}: a PATH on which the programs of
 * PostgreSQL, Redis, curl, Chromium and chromedriver are missing, and {@code apt-get} is a fake that records
 * what it was asked and "installs" a package by putting its programs (this machine's real ones) on that PATH.
 * Every program on that PATH is a wrapper that records its command line before it runs the real one, so a
 * test can show what never stood on a command line (which {@code ps} shows to every local user).
 */
final class FreshMachine {

    /** Debian package → the programs it brings that this machine hides until it is "installed". */
    private static final Map<String, Predicate<String>> PACKAGES = Map.of(
            "postgresql", name -> name.equals("psql") || name.startsWith("pg_"),
            "postgresql-client", name -> name.equals("psql") || name.equals("pg_isready"),
            "redis-server", name -> name.equals("redis-server"),
            "curl", name -> name.equals("curl"),
            "chromium", name -> name.equals("chromium"),
            "chromium-driver", name -> name.equals("chromedriver"));

    private final Path root;
    private final Path bin;
    private final Path commandLines;
    private final Path aptGetCalls;

    private FreshMachine(Path root) {
        this.root = root;
        this.bin = root.resolve("bin");
        this.commandLines = root.resolve("command-lines");
        this.aptGetCalls = root.resolve("apt-get-calls");
    }

    /** Wraps every program on this JVM's PATH; the packages' programs wait, wrapped, until the fake apt-get installs them. */
    static FreshMachine create() throws IOException {
        Path root = Files.createTempDirectory("fresh-machine");
        var machine = new FreshMachine(root);
        Files.createDirectories(machine.bin);
        Path installable = Files.createDirectories(root.resolve("installable"));
        Path packages = Files.createDirectories(root.resolve("packages"));
        Map<String, Path> programs = new TreeMap<>();
        for (String dir : System.getenv("PATH").split(":")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.filter(f -> Files.isRegularFile(f) && Files.isExecutable(f))
                        .forEach(f -> programs.putIfAbsent(f.getFileName().toString(), f));
            } catch (IOException e) {
                // a PATH entry that is missing or unreadable hides nothing
            }
        }
        programs.remove("apt-get");
        programs.remove("sudo");
        for (var program : programs.entrySet()) {
            String name = program.getKey();
            boolean packaged = PACKAGES.values().stream().anyMatch(p -> p.test(name));
            machine.script((packaged ? installable : machine.bin).resolve(name), """
                    printf '%%s\\n' "$0 $*" >>'%s'
                    exec '%s' "$@"
                    """.formatted(machine.commandLines, program.getValue()));
        }
        for (var p : PACKAGES.entrySet()) {
            Files.write(packages.resolve(p.getKey()), programs.keySet().stream().filter(p.getValue()).toList());
        }
        machine.script(machine.bin.resolve("apt-get"), """
                printf '%%s\\n' "$*" >>'%s'
                installing=
                for argument; do
                  if [[ $argument == install ]]; then installing=1
                  elif [[ $installing && -f '%s'/$argument ]]; then
                    while read -r program; do mv '%s'/"$program" '%s'/ 2>/dev/null || true; done <'%s'/"$argument"
                  fi
                done
                """.formatted(machine.aptGetCalls, packages, installable, machine.bin, packages));
        Files.createFile(machine.commandLines);
        Files.createFile(machine.aptGetCalls);
        // su runs psql as postgres, through this PATH: its wrapper must be able to record
        for (Path path : List.of(root, machine.bin)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(machine.commandLines, PosixFilePermissions.fromString("rw-rw-rw-"));
        return machine;
    }

    /** A user without root and without password-less sudo: {@code id -u} says 1000, {@code sudo -n} wants a password. */
    FreshMachine withoutRoot() throws IOException {
        script(bin.resolve("id"), """
                if [[ $1 == -u ]]; then echo 1000; else exec /usr/bin/id "$@"; fi
                """);
        script(bin.resolve("sudo"), """
                echo 'sudo: a password is required' >&2
                exit 1
                """);
        return this;
    }

    /** What the fake apt-get was asked, one call a line. */
    List<String> aptGetCalls() throws IOException {
        return Files.readAllLines(aptGetCalls);
    }

    /** Every command line started through this PATH so far. */
    String commandLines() throws IOException {
        return Files.readString(commandLines);
    }

    /** Runs {@code ./platform} with these arguments on this machine's PATH and the given variables. */
    Run platform(Path repository, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/bash", repository.resolve("platform").toString()));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("PATH", bin.toString());
        return new Run(builder.start());
    }

    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A running {@code ./platform}: its output lines are collected as they come. */
    static final class Run {

        final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Run(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            });
        }

        /** The first line that matches, waiting for it at most {@code timeout}; fails with the whole output when none came. */
        String await(Predicate<String> line, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                synchronized (lines) {
                    for (String l : lines) {
                        if (line.test(l)) {
                            return l;
                        }
                    }
                }
                if (!process.isAlive() && lines.stream().noneMatch(line)) {
                    Platform.sleep(200); // the reader may still be draining the pipe
                    if (lines.stream().noneMatch(line)) {
                        break;
                    }
                }
                Platform.sleep(100);
            }
            throw new AssertionError("no such line within " + timeout + "; ./platform said:\n" + output());
        }

        /** Waits for the exit; its status. */
        int exit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("./platform still runs after " + timeout + "; it said:\n" + output());
                }
                Platform.sleep(200); // the last lines
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** SIGTERM, as a service manager stops it, then waits for its clean-up. */
        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
