package io.maas.gateway.auth;

import io.maas.api.openai.ApiException;
import io.maas.gateway.error.ErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Every {@code /v1} and {@code /user} request carries a valid API key, or ends here with 401. */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeyAuthenticator authenticator;
    private final ErrorWriter errors;

    ApiKeyFilter(ApiKeyAuthenticator authenticator, ErrorWriter errors) {
        this.authenticator = authenticator;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/user/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        String bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        try {
            request.setAttribute(CallerKey.ATTRIBUTE, authenticator.authenticate(bearer));
        } catch (ApiException e) {
            errors.write(response, e.error(), e.getMessage(), e.param());
            return;
        }
        chain.doFilter(request, response);
    }
}
