package io.maas.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.sso.IdentityProvider;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Single sign-on: the console as an OpenID Connect client of a real Spring Authorization Server,
 * and tenant-service mapping the provider's ID token to the platform person of that name. The
 * browser's part (redirects, the provider's login form, cookies) is played by an HTTP client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class OidcSignInIT {

    static final int PORT = IdentityProvider.freePort();
    static final String DEVELOPER = PlatformApi.user("DEVELOPER", PlatformApi.tenant("sso"));
    static final IdentityProvider PROVIDER = new IdentityProvider("http://127.0.0.1:" + PORT + "/login/oauth2/code/sso", DEVELOPER,
            PlatformApi.PASSWORD);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("platform.console.api-url", () -> Services.tenantService("sso", "--platform.tenant.oidc.issuer-uri=" + PROVIDER.issuer,
                "--platform.tenant.oidc.audience=" + IdentityProvider.CLIENT_ID, "--platform.tenant.oidc.username-claim=sub"));
        String registration = "spring.security.oauth2.client.registration.sso.";
        registry.add(registration + "client-id", () -> IdentityProvider.CLIENT_ID);
        registry.add(registration + "client-secret", () -> IdentityProvider.CLIENT_SECRET);
        registry.add(registration + "scope", () -> "openid,profile");
        registry.add(registration + "authorization-grant-type", () -> "authorization_code");
        registry.add(registration + "redirect-uri", () -> "{baseUrl}/login/oauth2/code/{registrationId}");
        registry.add("spring.security.oauth2.client.provider.sso.issuer-uri", () -> PROVIDER.issuer);
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @Test
    void providerSignInBecomesThePlatformPerson() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.ALWAYS).build();
        String console = "http://127.0.0.1:" + PORT;
        HttpResponse<String> login = browser.send(page(console + "/login").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.body()).contains("href=\"/oauth2/authorization/sso\"");

        HttpResponse<String> providerForm = browser.send(page(console + "/oauth2/authorization/sso").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(providerForm.uri().toString()).startsWith(PROVIDER.issuer + "/login");
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(providerForm.body());
        assertThat(csrf.find()).isTrue();
        String form = "username=" + encode(DEVELOPER) + "&password=" + encode(PlatformApi.PASSWORD) + "&_csrf=" + encode(csrf.group(1));
        HttpResponse<String> signedIn = browser.send(page(providerForm.uri().toString())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(signedIn.uri().toString()).as("back in the console, on a developer's first page").isEqualTo(console + "/keys");
        assertThat(signedIn.body()).contains(DEVELOPER).contains("id=\"create-key\"");
    }

    /** A request as a browser sends it: providers answer only those that accept HTML with a login page. */
    private static HttpRequest.Builder page(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html,application/xhtml+xml");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
