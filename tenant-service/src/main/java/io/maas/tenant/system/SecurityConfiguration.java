package io.maas.tenant.system;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP Basic for scripts and form login with a session for browsers, on every {@code /api/v1/**}
 * path; health, the OpenAPI document and Swagger UI are open. Passwords are BCrypt hashes (through
 * Spring's delegating encoder, so stored hashes name their algorithm and can be upgraded). Browsers
 * are never challenged for Basic credentials, and any state-changing request a browser says another
 * site made is refused ({@link CrossSiteRequestFilter}); CSRF tokens are required of session (cookie)
 * requests, not of requests that carry their own Authorization header. Failed logins back off per
 * account and per client ({@link LoginThrottle}). Authorization per role and tenant is decided in the features,
 * with {@link Caller}. A session ends as soon as its account is disabled or its password changes
 * ({@link SessionAccountFilter}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginThrottle.Settings.class)
class SecurityConfiguration {

    @Bean
    LoginThrottle loginThrottle(LoginThrottle.Settings settings, Clock clock) {
        return new LoginThrottle(settings, clock);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, JsonMapper json, AccountCheck accounts, LoginThrottle throttle) {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/health", "/health/**", "/actuator/health/**", "/v3/api-docs/**", "/v3/api-docs",
                                "/swagger-ui/**", "/swagger-ui.html", "/error", "/login").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    // a browser (it sends fetch metadata) is never asked for Basic: it would cache the credentials and
                    // attach them to whatever another site makes it send here
                    if (request.getHeader("Sec-Fetch-Mode") == null) {
                        response.setHeader("WWW-Authenticate", "Basic realm=\"maas\"");
                    }
                    write(json, response, HttpStatus.UNAUTHORIZED,
                            "Authentication is required: send HTTP Basic credentials or log in at /login.");
                }))
                .formLogin(form -> form.defaultSuccessUrl("/swagger-ui.html"))
                .exceptionHandling(errors -> errors.accessDeniedHandler((request, response, e) ->
                        write(json, response, HttpStatus.FORBIDDEN, "Your role may not do this.")))
                .csrf(csrf -> csrf.ignoringRequestMatchers(request -> request.getHeader("Authorization") != null))
                .addFilterBefore(new CrossSiteRequestFilter(json), CsrfFilter.class)
                .addFilterBefore(new LoginThrottleFilter(throttle, json), UsernamePasswordAuthenticationFilter.class)
                .addFilterBefore(new SessionAccountFilter(accounts, json), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    static void write(JsonMapper json, HttpServletResponse response, HttpStatus status, String detail)
            throws java.io.IOException {
        ProblemDetail problem = ProblemDetails.problem(status, detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
