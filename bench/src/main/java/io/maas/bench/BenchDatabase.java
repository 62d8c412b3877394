package io.maas.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.flywaydb.core.Flyway;

/**
 * A throwaway database for one benchmark run, migrated with the platform's schema and dropped on
 * close, on the local PostgreSQL ({@code MAAS_BENCH_PG_URL} / {@code _USER} / {@code _PASSWORD},
 * default {@code jdbc:postgresql://127.0.0.1:5432/} as {@code maas}/{@code maas}).
 */
public final class BenchDatabase implements AutoCloseable {

    private final String server = env("MAAS_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private final String user = env("MAAS_BENCH_PG_USER", "maas");
    private final String password = env("MAAS_BENCH_PG_PASSWORD", "maas");
    private final String name;

    public BenchDatabase(String benchmark) throws SQLException {
        name = "maas_bench_" + benchmark + "_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        execute("CREATE DATABASE " + name);
        Flyway.configure().dataSource(url(), user, password).load().migrate();
    }

    public String url() {
        return server + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /**
     * The median time, in microseconds, of one durable commit on this PostgreSQL: a one-row INSERT in its own
     * transaction, {@code count} times one after the other. A request that waits for a durable write waits at least
     * this long (its disk's flush), however its writes are batched.
     */
    public double commitMicros(int count) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(), user, password);
             var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS bench_commit_floor (n int)");
            long[] micros = new long[count];
            try (var insert = connection.prepareStatement("INSERT INTO bench_commit_floor VALUES (?)")) {
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    insert.setInt(1, i);
                    insert.executeUpdate();
                    micros[i] = (System.nanoTime() - start) / 1000;
                }
            }
            statement.execute("DROP TABLE bench_commit_floor");
            Arrays.sort(micros);
            return micros[count / 2];
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server + "postgres", user, password);
             var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
