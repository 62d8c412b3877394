package io.maas.tenant.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import tools.jackson.databind.json.JsonMapper;

class LoginThrottleTests {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottle.Settings(5, 10, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1)), clock);

    @Test
    void anAccountBacksOffAfterItsFreeFailuresDoublingUpToTheLongestWait() {
        fail("alice", "10.0.0.1", 5);
        assertThat(throttle.wait("alice", "10.0.0.1")).isEmpty();

        fail("alice", "10.0.0.2", 1);
        assertThat(throttle.wait("alice", "10.0.0.3")).contains(Duration.ofSeconds(1));
        fail("alice", "10.0.0.2", 1);
        assertThat(throttle.wait("alice", "10.0.0.3")).contains(Duration.ofSeconds(2));
        fail("alice", "10.0.0.2", 20);
        assertThat(throttle.wait("alice", "10.0.0.3")).contains(Duration.ofMinutes(5));
        assertThat(throttle.wait("bob", "10.0.0.3")).as("other accounts are not slowed").isEmpty();

        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.wait("alice", "10.0.0.3")).isEmpty();
        fail("alice", "10.0.0.2", 1);
        assertThat(throttle.wait("alice", "10.0.0.3")).as("still past its free failures").contains(Duration.ofMinutes(5));

        throttle.succeeded(new AuthenticationSuccessEvent(token("alice", "10.0.0.2")));
        assertThat(throttle.wait("alice", "10.0.0.3")).isEmpty();
    }

    @Test
    void aClientBacksOffAfterItsFreeFailuresWhateverAccountItTries() {
        for (int i = 0; i < 11; i++) {
            fail("user-" + i, "10.0.0.9", 1);
        }
        assertThat(throttle.wait("anyone-else", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(throttle.wait("anyone-else", "10.0.0.8")).isEmpty();

        clock.advance(Duration.ofHours(2));
        assertThat(throttle.wait("anyone-else", "10.0.0.9")).as("forgotten").isEmpty();
    }

    @Test
    void aThrottledOrOverlongAttemptIsAnsweredWithoutReachingAuthentication() throws Exception {
        var filter = new LoginThrottleFilter(throttle, JsonMapper.builder().build());
        fail("carol", "127.0.0.1", 6);

        MockHttpServletResponse throttled = run(filter, basic("carol", "the-right-password"));
        MockHttpServletResponse overlong = run(filter, basic("dave", "x".repeat(73)));
        MockHttpServletRequest form = new MockHttpServletRequest("POST", "/login");
        form.setServletPath("/login");
        form.setParameter("username", "carol");
        form.setParameter("password", "the-right-password");
        MockHttpServletResponse throttledForm = run(filter, form);
        MockHttpServletResponse free = run(filter, basic("erin", "x".repeat(72)));

        assertThat(throttled.getStatus()).isEqualTo(429);
        assertThat(throttled.getHeader("Retry-After")).isEqualTo("1");
        assertThat(throttledForm.getStatus()).isEqualTo(429);
        assertThat(overlong.getStatus()).isEqualTo(400);
        assertThat(free.getStatus()).isEqualTo(200);
    }

    /** Runs the filter; a chain that is reached answers 200, one that is not leaves the filter's answer. */
    private static MockHttpServletResponse run(LoginThrottleFilter filter, MockHttpServletRequest request) throws Exception {
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        assertThat(chain.getRequest() != null).as("reached authentication").isEqualTo(response.getStatus() == 200);
        return response;
    }

    private static MockHttpServletRequest basic(String username, String password) {
        var request = new MockHttpServletRequest("GET", "/api/v1/users/me");
        request.addHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return request;
    }

    private void fail(String username, String client, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(new AuthenticationFailureBadCredentialsEvent(token(username, client), new BadCredentialsException("bad")));
        }
    }

    private static UsernamePasswordAuthenticationToken token(String username, String client) {
        var token = UsernamePasswordAuthenticationToken.unauthenticated(username, "secret");
        token.setDetails(new WebAuthenticationDetails(client, null));
        return token;
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-11-30T02:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
