package io.maas.engine.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

    private final Backoff backoff = new Backoff(new ExternalProperties.Restart(Duration.ofSeconds(1),
            Duration.ofSeconds(10), 2, Duration.ofMinutes(1)));

    @Test
    void doublesPerFailedStartUpToTheCapAndResetsAfterAStableRun() {
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));

        assertThat(backoff.next(Duration.ofMinutes(1))).as("it had been up a minute").isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    }
}
