package io.maas.gateway.auth;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.error.AnthropicErrors;
import io.maas.gateway.error.ErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request carries a valid API key ({@code Authorization: Bearer}, or under {@code /anthropic/} also
 * {@code x-api-key} as the Anthropic SDKs send it), or ends here with 401 (in Anthropic's error shape there), except the health probes and the
 * Prometheus scrape ({@code /metrics}: counts only, no tenant unless the operator turns its label on;
 * keep it off the public listener with the ingress or the network policy). The rule is
 * deny by default and decided on the path as the servlet container resolved it, so no spelling of a
 * path ({@code /v1;x/models}, {@code //v1/models}) reaches a controller without a key; path parameters
 * ({@code ;}) are refused outright with 400, as no API of the gateway has any. The console's read
 * paths ({@link ConsoleAccess}) take the console's secret instead of an API key.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final String ANTHROPIC_KEY = "x-api-key";

    private final ApiKeyAuthenticator authenticator;
    private final ErrorWriter errors;
    private final ConsoleAccess console;

    ApiKeyFilter(ApiKeyAuthenticator authenticator, ErrorWriter errors, ConsoleAccess console) {
        this.authenticator = authenticator;
        this.errors = errors;
        this.console = console;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().indexOf(';') >= 0) {
            errors.write(request, response, ApiError.INVALID_REQUEST, "Path parameters (';' in the path) are not accepted here.", null);
            return;
        }
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics")) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        if (path.startsWith(ConsoleAccess.PATH_PREFIX)) {
            if (!console.secret().isSet()) {
                errors.write(request, response, ApiError.NOT_FOUND, "Unknown path " + path + ".", null);
            } else if (!console.secret().admits(header)) {
                errors.write(request, response, ApiError.INVALID_API_KEY, "The console's paths need the console's secret.", null);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        String bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        if (bearer == null && AnthropicErrors.applies(path)) {
            bearer = request.getHeader(ANTHROPIC_KEY); // the Anthropic SDKs' header; a bearer token wins when both are sent
        }
        try {
            request.setAttribute(CallerKey.ATTRIBUTE, authenticator.authenticate(bearer));
        } catch (ApiException e) {
            errors.write(request, response, e.error(), e.getMessage(), e.param());
            return;
        }
        chain.doFilter(request, response);
    }
}
