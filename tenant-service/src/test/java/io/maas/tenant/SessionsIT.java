package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A session opened with a password authenticates later calls by its cookie; writes need its CSRF token; closing it ends it. */
class SessionsIT extends ServiceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sessionCookieActsForThePersonUntilClosed() throws Exception {
        UUID tenant = tenant("sessions");
        String tenantAdmin = user("TENANT_ADMIN", tenant);
        HttpResponse<String> opened = call("POST", "/api/v1/sessions", null, tenantAdmin, "");
        assertThat(opened.statusCode()).isEqualTo(201);
        JsonNode session = JsonMapper.builder().build().readTree(opened.body());
        assertThat(session.get("username").asString()).isEqualTo(tenantAdmin);
        assertThat(session.get("role").asString()).isEqualTo("TENANT_ADMIN");
        assertThat(session.get("tenantId").asString()).isEqualTo(tenant.toString());
        String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String[] csrf = {session.get("csrfHeader").asString(), session.get("csrfToken").asString()};

        assertThat(call("GET", "/api/v1/tenants/" + tenant + "/api-keys", cookie, null, null).statusCode()).isEqualTo(200);
        String createKey = "{\"name\":\"by-session\"}";
        assertThat(call("POST", "/api/v1/tenants/" + tenant + "/api-keys", cookie, null, createKey).statusCode())
                .as("a cookie-authenticated write without the CSRF token").isEqualTo(403);
        assertThat(call("POST", "/api/v1/tenants/" + tenant + "/api-keys", cookie, csrf, createKey).statusCode()).isEqualTo(201);

        assertThat(call("DELETE", "/api/v1/sessions/current", cookie, csrf, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/tenants/" + tenant + "/api-keys", cookie, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongPasswordOpensNoSession() {
        assertThat(admin().as("admin", "not-the-password").post("/api/v1/sessions", "").status()).isEqualTo(401);
    }

    private HttpResponse<String> call(String method, String path, String cookie, Object auth, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (auth instanceof String username) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + PASSWORD).getBytes()));
        } else if (auth instanceof String[] header) {
            request.header(header[0], header[1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
