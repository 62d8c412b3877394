package io.maas.tenant.session;

import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sessions for a client that acts for a person, such as the web console: {@code POST /api/v1/sessions}
 * with the person's credentials (HTTP Basic) answers who they are and opens a session, whose cookie
 * then authenticates their later calls without their password (a password is checked once, not on
 * every call). Writes with the cookie need the CSRF token of the answer in the header it names, as
 * every cookie-authenticated request does. {@code DELETE /api/v1/sessions/current} ends it.
 * Sessions live in this process's memory: a client must keep talking to the replica that opened it.
 */
@RestController
class SessionController {

    /** Who signed in, and the CSRF header and token that their cookie-authenticated writes must carry. */
    record Session(UUID userId, String username, Role role, UUID tenantId, String csrfHeader, String csrfToken) {
    }

    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    @PostMapping("/api/v1/sessions")
    @ResponseStatus(HttpStatus.CREATED)
    Session open(HttpServletRequest request, HttpServletResponse response) {
        Caller caller = CurrentCaller.get();
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        request.getSession(true);
        contexts.saveContext(SecurityContextHolder.getContext(), request, response);
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return new Session(caller.userId(), caller.username(), caller.role(), caller.tenantId(), csrf.getHeaderName(), csrf.getToken());
    }

    @DeleteMapping("/api/v1/sessions/current")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void close(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }
}
