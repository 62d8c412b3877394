package io.maas.tenant.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a state-changing request that another site made a browser send. A browser attaches what
 * it holds for this service, a session cookie or Basic credentials it once cached, to a form another
 * page posts here; CSRF tokens guard cookies, and this guards both: when the browser says the request
 * came from another site ({@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}), or,
 * for browsers without fetch metadata, its {@code Origin} names another host than this request's, the
 * answer is 403 before any credential is checked. Scripts send neither header and are not affected.
 */
final class CrossSiteRequestFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private final JsonMapper json;

    CrossSiteRequestFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!SAFE_METHODS.contains(request.getMethod()) && crossSite(request)) {
            SecurityConfiguration.write(json, response, HttpStatus.FORBIDDEN,
                    "Another site may not make your browser change anything here; use this service's own pages or an API client.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean crossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !OWN_SITE.contains(site);
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority == null || !authority.equalsIgnoreCase(request.getHeader("Host"));
        } catch (IllegalArgumentException e) {
            return true; // "null" (a sandboxed or privacy-stripped page) or garbage: not this site
        }
    }
}
