package io.maas.sso;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A real OpenID provider for the single sign-on test: Spring Authorization Server, configured by
 * Spring Boot's properties, with one registered client (the console) and one person. It lives
 * outside the console's packages, so the console's own tests never scan it.
 */
public final class IdentityProvider {

    /** The provider application: Spring Boot's auto-configuration of Spring Authorization Server, nothing of the console. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    public static final String CLIENT_ID = "console";
    public static final String CLIENT_SECRET = "console-secret";

    public final String issuer;
    private final ConfigurableApplicationContext context;

    /** Starts a provider on a free port whose client may return to {@code redirectUri}, and whose one person is {@code username}. */
    public IdentityProvider(String redirectUri, String username, String password) {
        int port = freePort();
        issuer = "http://127.0.0.1:" + port;
        String client = "spring.security.oauth2.authorizationserver.client.console.";
        context = new SpringApplicationBuilder(Application.class)
                .properties("spring.config.name=identity-provider", "server.port=" + port,
                        "spring.security.oauth2.authorizationserver.issuer=" + issuer,
                        client + "registration.client-id=" + CLIENT_ID,
                        client + "registration.client-secret={noop}" + CLIENT_SECRET,
                        client + "registration.client-authentication-methods=client_secret_basic",
                        client + "registration.authorization-grant-types=authorization_code",
                        client + "registration.redirect-uris=" + redirectUri,
                        client + "registration.scopes=openid,profile",
                        client + "require-authorization-consent=false",
                        "spring.security.user.name=" + username, "spring.security.user.password=" + password,
                        "spring.thymeleaf.enabled=false", "management.endpoints.access.default=none")
                .run();
    }

    public void close() {
        context.close();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
