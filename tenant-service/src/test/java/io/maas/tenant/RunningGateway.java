package io.maas.tenant;

import io.maas.db.testing.TestDatabase;
import io.maas.gateway.GatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real gateway in this JVM on the test database, with its default caches, to check end to end
 * that what tenant-service writes binds the data plane. It routes model {@code m} to nowhere: a
 * request it admits answers 503, one it refuses answers 401 or 429.
 */
final class RunningGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    RunningGateway(String name) {
        TestDatabase db = TestDatabase.get();
        context = new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=" + name, "server.port=0",
                        "spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.username(),
                        "spring.datasource.password=" + db.password(),
                        "platform.gateway.models[0].name=m", "platform.gateway.models[0].endpoints[0]=http://127.0.0.1:1",
                        // tenant-service's security and JPA are on this test classpath; the gateway uses neither
                        "spring.autoconfigure.exclude="
                                + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                                + "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
                                + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
                .run();
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The status of {@code GET /v1/models} with {@code apiKey}. */
    int models(String apiKey) {
        return send(request("/v1/models", apiKey).GET());
    }

    /** The status of a small chat completion of model {@code m} with {@code apiKey}. */
    int chat(String apiKey) {
        return send(request("/v1/chat/completions", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":8}")));
    }

    private HttpRequest.Builder request(String path, String apiKey) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + apiKey);
    }

    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
