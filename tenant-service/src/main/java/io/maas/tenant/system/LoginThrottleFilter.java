package io.maas.tenant.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * In front of HTTP Basic and the login form: refuses a login attempt while its account or client backs
 * off ({@link LoginThrottle}: 429 with {@code Retry-After}), and one whose password is longer than
 * BCrypt reads ({@link PasswordLength}; 400: no such password exists here), in both cases without
 * hashing anything.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private record Attempt(String username, String password) {
    }

    private final LoginThrottle throttle;
    private final JsonMapper json;

    LoginThrottleFilter(LoginThrottle throttle, JsonMapper json) {
        this.throttle = throttle;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Attempt> attempt = attempt(request);
        if (attempt.isPresent()) {
            if (!PasswordLength.fits(attempt.get().password())) {
                SecurityConfiguration.write(json, response, HttpStatus.BAD_REQUEST,
                        "The password is longer than " + PasswordLength.MAX_BYTES + " bytes; no password here is.");
                return;
            }
            Optional<Duration> wait = throttle.wait(attempt.get().username(), request.getRemoteAddr());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                response.setHeader("Retry-After", Long.toString(seconds));
                SecurityConfiguration.write(json, response, HttpStatus.TOO_MANY_REQUESTS,
                        "Too many failed logins for this account or from this address; retry in " + seconds + " s.");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The credentials a request presents: HTTP Basic, or the login form's post. */
    private static Optional<Attempt> attempt(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(new Attempt(decoded.substring(0, colon), decoded.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // not Base64: Basic authentication refuses it
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String username = request.getParameter("username");
            String password = request.getParameter("password");
            return username == null || password == null ? Optional.empty() : Optional.of(new Attempt(username, password));
        }
        return Optional.empty();
    }
}
