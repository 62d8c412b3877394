package io.maas.tenant.system;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.validation.annotation.Validated;

/**
 * Back-off after failed logins, by account name and by client address, for HTTP Basic and the login
 * form alike. Past its free failures, an account (or a client) must wait before its next attempt:
 * {@code first-delay}, doubling with each further failure up to {@code max-delay}. An attempt made
 * while waiting is refused before its password is looked at ({@link LoginThrottleFilter}), so guessing
 * costs the guesser time and the service no BCrypt. A success clears its account's failures; a
 * client's are forgotten {@code forget-after} its last one. Kept in memory: each instance of the
 * service throttles on its own.
 */
public final class LoginThrottle {

    /**
     * {@code platform.tenant.login.*}.
     *
     * @param accountFreeFailures failures of one account name before it backs off
     * @param clientFreeFailures  failures from one client address (any account) before it backs off
     * @param firstDelay          the first wait, doubled by each further failure
     * @param maxDelay            the longest wait
     * @param forgetAfter         failures this old are forgotten
     */
    @Validated
    @ConfigurationProperties("platform.tenant.login")
    public record Settings(@DefaultValue("5") @Min(0) int accountFreeFailures,
                           @DefaultValue("50") @Min(0) int clientFreeFailures,
                           @DefaultValue("1s") @NotNull Duration firstDelay,
                           @DefaultValue("5m") @NotNull Duration maxDelay,
                           @DefaultValue("1h") @NotNull Duration forgetAfter) {
    }

    private record Failures(int count, Instant last) {
    }

    private static final int MAX_TRACKED = 100_000;

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Failures> accounts = new ConcurrentHashMap<>();
    private final Map<String, Failures> clients = new ConcurrentHashMap<>();

    LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** How long an attempt for {@code username} from {@code client} must still wait; empty when it may go ahead. */
    Optional<Duration> wait(String username, String client) {
        Instant now = clock.instant();
        Duration account = remaining(accounts.get(username), settings.accountFreeFailures(), now);
        Duration fromClient = remaining(clients.get(client), settings.clientFreeFailures(), now);
        Duration longer = account.compareTo(fromClient) >= 0 ? account : fromClient;
        return longer.isPositive() ? Optional.of(longer) : Optional.empty();
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        Instant now = clock.instant();
        count(accounts, event.getAuthentication().getName(), now);
        if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
            count(clients, details.getRemoteAddress(), now);
        }
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        accounts.remove(event.getAuthentication().getName());
    }

    private Duration remaining(Failures failures, int free, Instant now) {
        if (failures == null || failures.count() <= free || forgotten(failures, now)) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures.count() - free - 1, 30);
        Duration delay = settings.firstDelay().multipliedBy(1L << doublings);
        delay = delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
        return Duration.between(now, failures.last().plus(delay));
    }

    private boolean forgotten(Failures failures, Instant now) {
        return failures.last().plus(settings.forgetAfter()).isBefore(now);
    }

    private void count(Map<String, Failures> failures, String key, Instant now) {
        if (key == null) {
            return;
        }
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> forgotten(f, now));
        }
        failures.compute(key, (k, before) -> new Failures(before == null || forgotten(before, now) ? 1 : before.count() + 1, now));
    }
}
