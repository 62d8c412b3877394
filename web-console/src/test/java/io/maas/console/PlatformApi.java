package io.maas.console;

import io.maas.db.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sets up what a console test needs through tenant-service's REST API, as the bootstrap admin (HTTP Basic). */
final class PlatformApi {

    static final String PASSWORD = "a-long-console-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PlatformApi() {
    }

    static UUID tenant(String prefix) {
        return UUID.fromString(send("POST", "/api/v1/tenants", "{\"name\":\"" + unique(prefix) + "\"}").get("id").asString());
    }

    /** A new person's username; {@code tenant} null for the platform roles. */
    static String user(String role, UUID tenant) {
        String name = unique(role.toLowerCase().replace('_', '-'));
        send("POST", "/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\""
                + (tenant == null ? "" : ",\"tenantId\":\"" + tenant + "\"") + "}");
        return name;
    }

    /** A price book loaded from {@code template} under a new name, assigned to {@code tenant}. */
    static String priceBook(String template, UUID tenant) {
        String name = unique(template);
        send("POST", "/api/v1/price-books", "{\"template\":\"" + template + "\",\"name\":\"" + name + "\"}");
        send("PUT", "/api/v1/tenants/" + tenant + "/price-book", "{\"priceBook\":\"" + name + "\"}");
        return name;
    }

    static JsonNode send(String method, String path, String body) {
        var request = HttpRequest.newBuilder(Services.tenantService().resolve(URI.create(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + Services.ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A day of usage in the roll-up, as the gateway's settlement writes it. */
    static void usage(UUID tenant, LocalDate day, String model, String tier, long hit, long miss, long out, String amount) {
        TestDatabase db = TestDatabase.get();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             var insert = c.prepareStatement("""
                     INSERT INTO usage_daily (tenant_id, day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens,
                         output_tokens, cache_hit_amount, cache_miss_amount, output_amount, amount)
                     VALUES (?, ?, ?, ?, 'CNY', 1, ?, ?, ?, 0, 0, ?, ?)""")) {
            insert.setObject(1, tenant);
            insert.setObject(2, day);
            insert.setString(3, model);
            insert.setString(4, tier);
            insert.setLong(5, hit);
            insert.setLong(6, miss);
            insert.setLong(7, out);
            insert.setBigDecimal(8, new BigDecimal(amount));
            insert.setBigDecimal(9, new BigDecimal(amount));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A day of a deployment's revenue, as the gateway's settlement writes it. */
    static void deploymentDay(UUID deployment, LocalDate day, String tier, String amount) {
        TestDatabase db = TestDatabase.get();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             var insert = c.prepareStatement("""
                     INSERT INTO deployment_daily (deployment_id, day, tier, currency, requests, cache_hit_tokens, cache_miss_tokens,
                         output_tokens, amount)
                     VALUES (?, ?, ?, 'CNY', 3, 100, 200, 300, ?)""")) {
            insert.setObject(1, deployment);
            insert.setObject(2, day);
            insert.setString(3, tier);
            insert.setBigDecimal(4, new BigDecimal(amount));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
