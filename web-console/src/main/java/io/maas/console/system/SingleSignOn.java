package io.maas.console.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * After an OpenID Connect sign-in, hands the provider's ID token to tenant-service
 * ({@link TenantApi#open(String)}), which maps it to a platform person and opens their session; the
 * console then holds that person exactly as after a password sign-in. Someone the platform does not
 * know (or has disabled) is back on the sign-in page with an error.
 */
final class SingleSignOn implements AuthenticationSuccessHandler {

    /** The registration id under {@code spring.security.oauth2.client.registration.*}. */
    static final String REGISTRATION = "sso";
    private static final Logger log = LoggerFactory.getLogger(SingleSignOn.class);

    private final TenantApi api;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    SingleSignOn(TenantApi api) {
        this.api = api;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        ConsoleUser user;
        try {
            user = api.open(((OidcUser) authentication.getPrincipal()).getIdToken().getTokenValue());
        } catch (RuntimeException refused) {
            log.info("single sign-on of '{}' refused by tenant-service: {}", authentication.getName(), refused.getMessage());
            SecurityContextHolder.clearContext();
            request.getSession().invalidate();
            response.sendRedirect(request.getContextPath() + "/login?error");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + user.role().name()))));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        response.sendRedirect(request.getContextPath() + "/");
    }
}
