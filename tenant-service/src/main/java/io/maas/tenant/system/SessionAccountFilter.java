package io.maas.tenant.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ends a session whose account was disabled, or whose password changed, since it logged in: the
 * request is answered 401 and the session is invalidated. Requests with credentials of their own
 * (HTTP Basic) are checked by their authentication already.
 */
final class SessionAccountFilter extends OncePerRequestFilter {

    private final AccountCheck accounts;
    private final JsonMapper json;

    SessionAccountFilter(AccountCheck accounts, JsonMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (session != null && request.getHeader("Authorization") == null && authentication != null
                && authentication.getPrincipal() instanceof CallerDetails details
                && !accounts.isCurrent(details.caller().userId(), details.credentialsStamp())) {
            SecurityContextHolder.clearContext();
            session.invalidate();
            SecurityConfiguration.write(json, response, HttpStatus.UNAUTHORIZED,
                    "Your session has ended: the account was disabled or its password changed. Log in again.");
            return;
        }
        chain.doFilter(request, response);
    }
}
