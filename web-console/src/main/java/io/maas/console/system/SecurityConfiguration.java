package io.maas.console.system;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Sign-in with the platform's own people: the console checks the username and password with
 * tenant-service ({@link TenantApi#open}), which also opens the tenant-service session that acts
 * for the person afterwards. A console session (cookie) with CSRF protection on every form, and
 * logout, which ends both sessions. Optionally single sign-on with an OpenID provider
 * ({@link SingleSignOn}) when {@code spring.security.oauth2.client.registration.sso.*} is configured.
 * Which role sees which page is {@link PageAccess}'s.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * Password sign-in: tenant-service's people. Being a bean, it is also why no built-in user
     * exists; single sign-on adds its own provider beside it.
     */
    @Bean
    AuthenticationProvider platformPeople(TenantApi api) {
        return provider(api);
    }

    @Bean
    SecurityFilterChain console(HttpSecurity http, TenantApi api, ObjectProvider<ClientRegistrationRepository> singleSignOn) {
        if (singleSignOn.getIfAvailable() != null) {
            http.oauth2Login(login -> login.loginPage("/login").successHandler(new SingleSignOn(api))
                    .failureHandler((request, response, failure) -> {
                        log.info("single sign-on failed: {}", failure.getMessage());
                        response.sendRedirect(request.getContextPath() + "/login?error");
                    }));
        }
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/health", "/health/**", "/login", "/error", "/webjars/**", "/css/**", "/js/**", "/favicon.ico")
                        .permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", true))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout")
                        .addLogoutHandler((request, response, authentication) -> {
                            if (authentication != null && authentication.getPrincipal() instanceof ConsoleUser user) {
                                try {
                                    api.close(user);
                                } catch (RuntimeException e) {
                                    log.info("tenant-service session of {} not closed: {}", user.username(), e.getMessage());
                                }
                            }
                        }));
        return http.build();
    }

    private static AuthenticationProvider provider(TenantApi api) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                ConsoleUser user;
                try {
                    user = api.open(authentication.getName(), String.valueOf(authentication.getCredentials()));
                } catch (ApiProblem problem) {
                    if (problem.status() == 401) {
                        throw new BadCredentialsException("wrong username or password");
                    }
                    throw new AuthenticationServiceException("tenant-service could not sign you in: " + problem.getMessage());
                } catch (RuntimeException unreachable) {
                    log.warn("tenant-service unreachable at sign-in: {}", unreachable.getMessage());
                    throw new AuthenticationServiceException("tenant-service cannot be reached");
                }
                return UsernamePasswordAuthenticationToken.authenticated(user, null,
                        List.of(new SimpleGrantedAuthority("ROLE_" + user.role().name())));
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }
}
