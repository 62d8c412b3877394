package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.TestPropertySource;

/**
 * Guessing passwords over real HTTP, Basic and the login form: an account backs off after its free
 * failures, and so does a client address after its own (here 12, in a context of its own, as every
 * test request comes from 127.0.0.1).
 */
@TestPropertySource(properties = "platform.tenant.login.client-free-failures=12")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginThrottleIT extends ServiceTest {

    @Test
    @Order(1)
    void anAccountBacksOffAfterFiveFailuresEvenForTheRightPasswordThenRecovers() throws InterruptedException {
        String developer = user("DEVELOPER", tenant("throttle"));
        for (int i = 0; i < 6; i++) {
            assertThat(admin().as(developer, "wrong-password-" + i).get("/api/v1/users/me").status()).isEqualTo(401);
        }

        var basic = admin().as(developer, PASSWORD).get("/api/v1/users/me");
        var form = new BrowserSession("http://127.0.0.1:" + port).logIn(developer, PASSWORD);

        assertThat(basic.status()).isEqualTo(429);
        assertThat(basic.body()).contains("retry in");
        assertThat(form.statusCode()).isEqualTo(429);
        assertThat(form.headers().firstValue("Retry-After")).isPresent();
        Thread.sleep(2100);
        assertThat(as(developer).get("/api/v1/users/me").status()).isEqualTo(200);
        assertThat(admin().as(developer, "wrong-again").get("/api/v1/users/me").status()).as("a success cleared it").isEqualTo(401);
    }

    @Test
    @Order(2)
    void aPasswordLongerThanBcryptReadsIs400AtLogin() {
        String overlong = "p".repeat(73);

        assertThat(admin().as("admin", overlong).get("/api/v1/users/me").status()).isEqualTo(400);
        assertThat(new BrowserSession("http://127.0.0.1:" + port).logIn("admin", overlong).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(3)
    void aClientThatKeepsFailingBacksOffForEveryAccount() {
        int refusedAfter = 0;
        while (refusedAfter < 20 && admin().as("nobody-" + UUID.randomUUID(), "guess").get("/api/v1/users/me").status() == 401) {
            refusedAfter++;
        }

        assertThat(refusedAfter).as("failures before the client backs off").isLessThanOrEqualTo(12);
        assertThat(admin().get("/api/v1/users/me").status()).as("the client waits, whatever account it tries").isEqualTo(429);
    }
}
