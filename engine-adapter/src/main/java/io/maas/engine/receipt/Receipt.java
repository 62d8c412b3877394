package io.maas.engine.receipt;

import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the engine knows about one request: its state and the tokens it has used so far. It is
 * updated while the request runs and settles once, with the engine's final count.
 */
public final class Receipt {

    private final String id;
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile EngineReceipt.State state = EngineReceipt.State.RUNNING;
    private volatile Usage usage = Usage.of(0, 0, 0, 0);
    private volatile Instant settledAt;

    Receipt(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public EngineReceipt.State state() {
        return state;
    }

    public Usage usage() {
        return usage;
    }

    /** As {@code GET /engine/requests/{id}} answers it. */
    public EngineReceipt view() {
        return new EngineReceipt(id, state, usage);
    }

    /** The usage so far, while the request runs; ignored once it has settled. */
    public void progress(Usage current) {
        if (state == EngineReceipt.State.RUNNING) {
            usage = current;
        }
    }

    /** Settles the receipt; only the first call counts. */
    public synchronized void settle(EngineReceipt.State outcome, Usage finalUsage, Instant now) {
        if (state != EngineReceipt.State.RUNNING || outcome == EngineReceipt.State.RUNNING) {
            return;
        }
        usage = finalUsage;
        settledAt = now;
        state = outcome;
        settled.countDown();
    }

    /** Waits until the receipt has settled or {@code timeout} has passed. */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** When it settled; null while running. */
    Instant settledAt() {
        return settledAt;
    }
}
