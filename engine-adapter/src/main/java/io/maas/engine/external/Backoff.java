package io.maas.engine.external;

import java.time.Duration;

/**
 * The wait before the next start of a process that stopped: {@code initial}, multiplied by
 * {@code multiplier} for every start in a row that did not last, capped at {@code max}. A start
 * that stayed up for {@code stableAfter} resets the sequence. Not thread-safe.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final Duration stableAfter;
    private int failures;

    Backoff(ExternalProperties.Restart restart) {
        this.initial = restart.initialBackoff();
        this.max = restart.maxBackoff();
        this.multiplier = restart.multiplier();
        this.stableAfter = restart.stableAfter();
    }

    /** The delay before restarting a process that was up (ready) for {@code uptime}; zero when it never became ready. */
    Duration next(Duration uptime) {
        if (uptime.compareTo(stableAfter) >= 0) {
            failures = 0;
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, failures);
        failures++;
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }
}
