package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's two commands on a machine that has nothing but a JDK ({@link FreshMachine}): what is missing
 * is installed (as root) or named with the exact command (without root), step by step on one line each; and
 * the secrets involved — the database password and the generated admin password — stay off command lines
 * and out of logs.
 */
class PlatformFreshMachineIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private FreshMachine machine;

    @BeforeEach
    void createMachine() throws IOException {
        machine = FreshMachine.create();
    }

    @AfterEach
    void deleteMachine() throws IOException {
        machine.delete();
    }

    @Test
    void upInstallsWhatIsMissingCreatesTheRoleAndShowsTheAdminPasswordOnlyOnTheTerminal() throws Exception {
        assumeTrue(isRoot(), "installing with apt-get and creating a role need root");
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String role = "Fresh-Role_" + suffix; // a quote would be fine here, but Flyway's SET ROLE does not quote it
        String dbPassword = "pw'\"; DROP ROLE postgres; -- \\ $HOME :x " + suffix;
        String database = "maas_fresh_" + suffix;
        Path state = Files.createTempDirectory("platform-fresh");
        // the demo model the other system tests generate (generating it is not what this test is about)
        Files.createSymbolicLink(state.resolve("models"), Files.createDirectories(Path.of("target", "models")).toAbsolutePath());
        Map<String, String> env = new HashMap<>(Map.of(
                "PLATFORM_STATE_DIR", state.toString(), "PLATFORM_DB_NAME", database,
                "PLATFORM_DB_USER", role, "PLATFORM_DB_PASSWORD", dbPassword,
                "PLATFORM_GATEWAY_PORT", freePort(), "PLATFORM_ENGINE_PORT", freePort(),
                "PLATFORM_TENANT_PORT", freePort(), "PLATFORM_CONSOLE_PORT", freePort()));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        FreshMachine.Run up = machine.platform(ROOT, env, "up");
        try {
            up.await(line -> line.startsWith("READY "), Duration.ofMinutes(8));
            String console = up.await(line -> line.startsWith("Console: "), Duration.ofSeconds(10));

            assertThat(machine.aptGetCalls()).anySatisfy(call -> assertThat(call).endsWith("update"))
                    .anySatisfy(call -> assertThat(call).endsWith("install -y postgresql-client curl")); // a server answers: its client
            assertThat(up.output()).containsPattern("(?m)^… updating the package lists … done \\(\\d+ s\\)$")
                    .containsPattern("(?m)^… installing postgresql-client curl … done \\(\\d+ s\\)$")
                    .contains("… creating PostgreSQL role '" + role + "'", "… creating database '" + database + "'");
            try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, role, dbPassword)) {
                assertThat(connection.isValid(5)).isTrue(); // the role has exactly that password: nothing was injected
            }

            Path adminFile = state.resolve("admin-password");
            String adminPassword = Files.readString(adminFile).strip();
            assertThat(Files.getPosixFilePermissions(adminFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(console).contains("user admin, password " + adminPassword + " ", adminFile.toString());
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + env.get("PLATFORM_TENANT_PORT") + "/api/v1/tenants"))
                            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                    ("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            try (Stream<Path> logs = Files.walk(state.resolve("logs"))) {
                for (Path log : logs.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as("%s", log).doesNotContain(adminPassword);
                }
            }

            assertThat(machine.commandLines()).contains("psql").doesNotContain(dbPassword);
            for (ProcessHandle process : up.process.descendants().toList()) {
                assertThat(commandLine(process)).as("command line of %s", process.info().command().orElse("?"))
                        .doesNotContain(dbPassword).doesNotContain(adminPassword);
            }

            FreshMachine.Run again = machine.platform(ROOT, env, "up");
            assertThat(again.exit(Duration.ofSeconds(30))).as(again.output()).isZero();
            assertThat(again.output()).contains("already running", state.resolve("logs").toString())
                    .containsPattern("(?m)^READY gateway=");
        } finally {
            up.stop();
            superuser("DROP DATABASE IF EXISTS " + identifier(database) + " WITH (FORCE); DROP ROLE IF EXISTS " + identifier(role) + ";");
        }
    }

    @Test
    void testInstallsWhatTheTestsNeedAndCreatesAndStartsAClusterBeforeMavenStarts() throws Exception {
        assumeTrue(isRoot(), "installing with apt-get and creating a cluster need root");
        String port = freePort(); // no server answers there: the server package, and a cluster of its own
        // --version: Maven starts with the JDK and says so, without running the suite inside the suite
        FreshMachine.Run test = machine.platform(ROOT, Map.of("JAVA_HOME", System.getProperty("java.home"), "PLATFORM_DB_PORT", port,
                "PLATFORM_STATE_DIR", Files.createTempDirectory("platform-fresh").toString()), "test", "--version");
        try {
            assertThat(test.exit(Duration.ofMinutes(3))).as(test.output()).isZero();
            assertThat(machine.aptGetCalls()).contains("-q -o APT::Status-Fd=1 install -y postgresql curl redis-server chromium chromium-driver");
            assertThat(test.output()).containsPattern("(?m)^… installing postgresql curl redis-server chromium chromium-driver … done \\(\\d+ s\\)$")
                    .containsPattern("(?m)^… creating the PostgreSQL \\d+ cluster 'platform-" + port + "' on port " + port + "$")
                    .containsPattern("(?m)^… starting PostgreSQL \\d+/platform-" + port + "$")
                    .contains("… creating PostgreSQL role 'maas'", "Apache Maven");
            try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "maas", "maas")) {
                assertThat(connection.isValid(5)).isTrue();
            }
        } finally {
            var version = Pattern.compile("PostgreSQL (\\d+) cluster 'platform-" + port + "'").matcher(test.output());
            if (version.find()) {
                run("pg_dropcluster", "--stop", version.group(1), "platform-" + port);
            }
        }
    }

    @Test
    void withoutRootOrSudoItPrintsTheExactCommandAndStops() throws Exception {
        machine.withoutRoot();
        FreshMachine.Run up = machine.platform(ROOT, Map.of("PLATFORM_STATE_DIR", Files.createTempDirectory("platform-fresh").toString(),
                "PLATFORM_DB_PORT", freePort()), "up"); // no server answers there: the server package is missing too

        assertThat(up.exit(Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(up.output()).contains("missing: postgresql curl",
                "  sudo apt-get update && sudo apt-get install -y postgresql curl");
        assertThat(machine.aptGetCalls()).isEmpty();
    }

    @Test
    void withoutAJdkItSaysHowToGetOneOnDebianAndUbuntu() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/unshare")), "hiding /usr/lib/jvm needs a mount namespace");
        // every JDK of this machine lives under /usr/lib/jvm: an empty tmpfs over it, in a mount namespace of its own
        var builder = new ProcessBuilder("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs no-jdk /usr/lib/jvm && exec /bin/bash \"$0\" up", ROOT.resolve("platform").toString())
                .redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME");
        Process up = builder.start();
        String output = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(up.waitFor()).as(output).isEqualTo(1);
        assertThat(output).contains("no JDK 21 or newer found", "Ubuntu 22.04 or newer, Debian 13:  sudo apt-get install -y openjdk-21-jdk-headless",
                "Debian 12", "sudo apt-get install -y temurin-25-jdk");
    }

    @Test
    void upHelpListsEveryVariableTheScriptReadsAndTheReadmeDocumentsThem() throws Exception {
        Process help = new ProcessBuilder("/bin/bash", ROOT.resolve("platform").toString(), "up", "--help").redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor()).isZero();

        var read = new TreeSet<String>();
        Pattern.compile("\\$\\{?(PLATFORM_[A-Z0-9_]+)").matcher(Files.readString(ROOT.resolve("platform"))).results()
                .forEach(match -> read.add(match.group(1)));
        assertThat(read).contains("PLATFORM_STATE_DIR", "PLATFORM_DB_PASSWORD", "PLATFORM_ADMIN_PASSWORD");
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String variable : read) {
            assertThat(usage).as("./platform up --help").contains(variable);
            assertThat(readme).as("README.md").contains("`" + variable + "`");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // it has exited since
        }
    }

    private static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** Runs SQL as PostgreSQL's superuser over the local socket, the SQL on stdin. */
    private static void superuser(String sql) throws IOException, InterruptedException {
        Process psql = new ProcessBuilder("su", "postgres", "-s", "/bin/sh", "-c", "cd / && exec psql -X -q -d postgres")
                .redirectErrorStream(true).start();
        try (var stdin = psql.getOutputStream()) {
            stdin.write(sql.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor()).as(output).isZero();
    }

    private static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
