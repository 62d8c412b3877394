package io.maas.engine.system;

import io.maas.api.engine.EngineSecret;
import io.maas.api.openai.ApiError;
import io.maas.engine.runtime.EngineProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call the adapter. Anyone who reaches it gets inference with no key, no limit and no bill,
 * and reads receipts, so: it listens on 127.0.0.1 unless {@code server.address} says otherwise, and
 * with {@code platform.engine.secret} set every call but {@code /health} must carry the gateway's
 * {@link EngineSecret} (401 otherwise). Listening beyond loopback without a secret, or with one
 * shorter than {@value EngineSecret#MIN_LENGTH} characters, stops the start-up.
 */
@Configuration(proxyBeanMethods = false)
class EngineAccess {

    private static final Logger log = LoggerFactory.getLogger(EngineAccess.class);

    @Bean
    FilterRegistrationBean<SecretFilter> engineSecretFilter(EngineProperties properties, JsonMapper json,
            @Value("${server.address:}") String address) {
        EngineSecret secret = properties.secret();
        if (!secret.isSet() && !loopback(address)) {
            throw new IllegalStateException("The engine adapter would listen on " + (address.isBlank() ? "every interface" : address)
                    + " without a secret: whoever reaches it would get inference with no key, limit or bill. Set "
                    + "PLATFORM_ENGINE_SECRET (the same value as the gateway's PLATFORM_GATEWAY_ENGINE_SECRET), or listen on "
                    + "127.0.0.1 (server.address).");
        }
        if (secret.isSet() && !secret.isStrong()) {
            throw new IllegalStateException("PLATFORM_ENGINE_SECRET is shorter than " + EngineSecret.MIN_LENGTH
                    + " characters; use a random one, e.g. 'openssl rand -hex 32'.");
        }
        if (!secret.isSet()) {
            log.warn("No PLATFORM_ENGINE_SECRET: any process on this machine may call the engine adapter on {}", address);
        }
        var registration = new FilterRegistrationBean<>(new SecretFilter(secret, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setEnabled(secret.isSet());
        return registration;
    }

    private static boolean loopback(String address) {
        if (address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("server.address '" + address + "' is not an address of this machine", e);
        }
    }

    /** Lets a call through when it carries the secret, and {@code /health} (probes) always. */
    static final class SecretFilter extends OncePerRequestFilter {

        private final EngineSecret secret;
        private final byte[] refusal;

        SecretFilter(EngineSecret secret, JsonMapper json) {
            this.secret = secret;
            this.refusal = json.writeValueAsBytes(ApiError.INVALID_API_KEY.response(
                    "This engine adapter answers only its gateway: send the engine secret as 'Authorization: Bearer …'.", null));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            // the servlet path is decoded, normalised and free of ';' parameters, so '/health;x/../v1/…' cannot pass for '/health'
            String path = request.getServletPath();
            if (path.equals("/health") || path.startsWith("/health/") || secret.admits(request.getHeader(EngineSecret.HEADER))) {
                chain.doFilter(request, response);
                return;
            }
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream().write(refusal);
        }
    }
}
