package io.maas.tenant.session;

import io.maas.tenant.system.CallerDetails;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Single sign-on for {@link SessionController}: with {@code platform.tenant.oidc.issuer-uri} set, a
 * session may also be opened with {@code Authorization: Bearer <ID token>} from that OpenID
 * provider, issued to {@code platform.tenant.oidc.audience} (the console's client id). The token's
 * {@code platform.tenant.oidc.username-claim} (default {@code preferred_username}) names the platform
 * person it signs in, who must exist and not be disabled: the provider proves who someone is, the
 * platform keeps deciding what they may do. Only {@code POST /api/v1/sessions} accepts a token.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("platform.tenant.oidc.issuer-uri")
class OidcSessions {

    @Bean
    @Order(1)
    SecurityFilterChain idTokenSessions(HttpSecurity http, UserDetailsService people,
                                     @Value("${platform.tenant.oidc.issuer-uri}") String issuer,
                                     @Value("${platform.tenant.oidc.audience}") String audience,
                                     @Value("${platform.tenant.oidc.username-claim:preferred_username}") String claim) {
        http.securityMatcher(request -> "POST".equals(request.getMethod()) && "/api/v1/sessions".equals(request.getRequestURI())
                        && String.valueOf(request.getHeader("Authorization")).startsWith("Bearer "))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // a bearer token cannot be forged by another site; the filter stays, to issue the session's CSRF token
                .csrf(csrf -> csrf.ignoringRequestMatchers(request -> true))
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder(issuer, audience))
                        .jwtAuthenticationConverter(token -> person(people, token.getClaimAsString(claim)))));
        return http.build();
    }

    private static JwtDecoder decoder(String issuer, String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                (Jwt token) -> token.getAudience() != null && token.getAudience().contains(audience)
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "not issued to " + audience, null))));
        return decoder;
    }

    private static UsernamePasswordAuthenticationToken person(UserDetailsService people, String username) {
        try {
            CallerDetails person = (CallerDetails) people.loadUserByUsername(username == null ? "" : username);
            if (!person.isEnabled()) {
                throw new DisabledException("disabled");
            }
            return UsernamePasswordAuthenticationToken.authenticated(person, null, person.getAuthorities());
        } catch (UsernameNotFoundException | DisabledException e) {
            throw new InvalidBearerTokenException("The signed-in identity is not a platform user who may sign in.");
        }
    }
}
