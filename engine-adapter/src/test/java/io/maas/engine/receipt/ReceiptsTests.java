package io.maas.engine.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.engine.runtime.EngineProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ReceiptsTests {

    private final MutableClock clock = new MutableClock();
    private final Receipts receipts = new Receipts(2, Duration.ofMinutes(15), clock);

    @Test
    void byDefaultAReceiptOutlivesTheGatewaysRequestDeadlineAndJournalSweep() {
        EngineProperties.Receipts defaults = new Binder(new MapConfigurationPropertySource(Map.of("platform.engine.runtime", "llamacpp")))
                .bindOrCreate("platform.engine", EngineProperties.class).receipts();
        Receipts kept = new Receipts(defaults.maxEntries(), defaults.ttl(), clock);
        kept.open("lost").settle(EngineReceipt.State.CANCELLED, Usage.of(0, 10, 4, 0), clock.instant());

        clock.now = clock.now.plus(Duration.ofMinutes(20 + 1)); // the gateway's default request deadline, a sweep and more

        assertThat(kept.find("lost")).isPresent();
    }

    @Test
    void aSettledReceiptKeepsItsFirstOutcomeAndExpiresAfterTheTtl() {
        Receipt receipt = receipts.open("a");
        receipt.progress(Usage.of(0, 10, 3, 0));
        receipt.settle(EngineReceipt.State.CANCELLED, Usage.of(0, 10, 4, 0), clock.instant());
        receipt.settle(EngineReceipt.State.COMPLETED, Usage.of(0, 10, 9, 0), clock.instant());
        receipt.progress(Usage.of(0, 10, 7, 0));

        assertThat(receipts.find("a")).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(EngineReceipt.State.CANCELLED);
            assertThat(r.usage().completionTokens()).isEqualTo(4);
        });
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        assertThat(receipts.find("a")).isEmpty();
    }

    @Test
    void aRunningIdCannotBeReusedButASettledOneCan() {
        Receipt running = receipts.open("a");
        assertThatThrownBy(() -> receipts.open("a")).isInstanceOf(ApiException.class);

        running.settle(EngineReceipt.State.COMPLETED, Usage.of(0, 1, 1, 0), clock.instant());
        assertThat(receipts.open("a").state()).isEqualTo(EngineReceipt.State.RUNNING);
    }

    @Test
    void beyondTheLimitSettledReceiptsGoFirst() {
        Receipt first = receipts.open("a");
        receipts.open("b").settle(EngineReceipt.State.COMPLETED, Usage.of(0, 1, 1, 0), clock.instant());
        receipts.open("c");

        assertThat(receipts.find("a")).contains(first);
        assertThat(receipts.find("b")).isEmpty();
        assertThat(receipts.find("c")).isPresent();
    }

    @Test
    void waitingEndsWhenTheReceiptSettles() throws InterruptedException {
        Receipt receipt = receipts.open("a");
        Thread.ofVirtual().start(() -> {
            sleep();
            receipt.settle(EngineReceipt.State.COMPLETED, Usage.of(0, 1, 1, 0), Instant.now());
        });

        assertThat(receipt.awaitSettled(Duration.ofSeconds(5))).isTrue();
        assertThat(receipt.state()).isEqualTo(EngineReceipt.State.COMPLETED);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
