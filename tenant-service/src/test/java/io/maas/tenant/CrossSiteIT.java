package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cross-site request forgery with credentials a browser holds: a form on another site posted to
 * tenant-service carries the Basic credentials the browser cached (or its session cookie), and must
 * change nothing; browsers are never challenged for Basic, so they have none to cache.
 */
class CrossSiteIT extends ServiceTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCrossSiteFormPostWithCachedBasicCredentialsIsRefusedAndChangesNothing() throws Exception {
        UUID tenant = tenant("csrf");

        var fetchMetadata = suspend(tenant, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");
        var sameSite = suspend(tenant, "Sec-Fetch-Site", "same-site", "Origin", "https://sub.example");
        var originOnly = suspend(tenant, "Origin", "https://evil.example");
        var opaqueOrigin = suspend(tenant, "Origin", "null");

        for (var refused : new HttpResponse<?>[] {fetchMetadata, sameSite, originOnly, opaqueOrigin}) {
            assertThat(refused.statusCode()).isEqualTo(403);
        }
        assertThat(admin().get("/api/v1/tenants/" + tenant).json().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(suspend(tenant, "Sec-Fetch-Site", "same-origin", "Origin", "http://127.0.0.1:" + port).statusCode())
                .as("this service's own pages may").isEqualTo(200);
        assertThat(admin().get("/api/v1/tenants/" + tenant).json().get("status").asString()).isEqualTo("SUSPENDED");
    }

    @Test
    void browsersAreNotChallengedForBasicCredentialsScriptsAre() throws Exception {
        HttpResponse<String> browser = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users/me"))
                .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Site", "same-origin").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users/me")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(browser.statusCode()).isEqualTo(401);
        assertThat(browser.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(script.statusCode()).isEqualTo(401);
        assertThat(script.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"maas\"");
    }

    /** What a browser sends for a form another page posts: urlencoded, with the Basic credentials it cached. */
    private HttpResponse<String> suspend(UUID tenant, String... headers) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant + "/suspend"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .headers(headers)
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
