package io.maas.db.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real, empty PostgreSQL database for one test JVM, migrated with the platform's schema.
 *
 * <p>Where a Docker engine answers, a Testcontainers PostgreSQL is started. Otherwise a fresh
 * database is created on the local server ({@code MAAS_TEST_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, as {@code MAAS_TEST_PG_USER} /
 * {@code MAAS_TEST_PG_PASSWORD}, default {@code maas}/{@code maas}, a role allowed to create
 * databases) and dropped when the JVM exits.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final String jdbcUrl;
    private final String username;
    private final String password;

    private TestDatabase(String jdbcUrl, String username, String password) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** The database of this JVM, created and migrated on first use. */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = dockerEngineAnswers() ? container() : localServer();
            Flyway.configure().dataSource(instance.jdbcUrl, instance.username, instance.password).load().migrate();
        }
        return instance;
    }

    /** Another empty database, not migrated: for a test of a migration on the data of the schema before it. */
    public static TestDatabase empty() {
        return dockerEngineAnswers() ? container() : localServer();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    /** Asks Testcontainers only where a Docker engine may be: its probe logs errors when none is. */
    private static boolean dockerEngineAnswers() {
        boolean socket = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        return socket && DockerClientFactory.instance().isDockerAvailable();
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' own reaper when the JVM exits
    private static TestDatabase container() {
        var postgres = new PostgreSQLContainer("postgres:16-alpine");
        postgres.start();
        return new TestDatabase(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
    }

    private static TestDatabase localServer() {
        String adminUrl = env("MAAS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = env("MAAS_TEST_PG_USER", "maas");
        String password = env("MAAS_TEST_PG_PASSWORD", "maas");
        String name = "maas_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")) + "_"
                + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        execute(adminUrl, user, password, "CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> execute(adminUrl, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        String url = adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
        return new TestDatabase(url, user, password);
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + " as " + user + " refused '" + sql
                    + "': " + e.getMessage() + ". Start the local server and create the role, as ./platform test does"
                    + " (or set MAAS_TEST_PG_URL / MAAS_TEST_PG_USER / MAAS_TEST_PG_PASSWORD).", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
