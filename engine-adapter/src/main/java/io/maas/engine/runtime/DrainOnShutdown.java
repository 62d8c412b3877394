package io.maas.engine.runtime;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * On shutdown (SIGTERM) drains the {@link RequestGate} before anything else stops: new requests get
 * 503 while the web server still answers (health says OUT_OF_SERVICE, receipts stay readable), and
 * the requests in flight have {@code platform.engine.drain-grace} to finish. Then the web server
 * stops, and after it the engine.
 */
final class DrainOnShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DrainOnShutdown.class);

    private final RequestGate gate;
    private final Duration grace;
    private volatile boolean running;

    DrainOnShutdown(RequestGate gate, Duration grace) {
        this.gate = gate;
        this.grace = grace;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        int inFlight = gate.inFlight();
        log.info("Draining: refusing new requests, waiting up to {} for {} in flight", grace, inFlight);
        try {
            if (!gate.drain(grace)) {
                log.warn("Drain grace period of {} over with {} request(s) still in flight; stopping anyway",
                        grace, gate.inFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped first: before the web server's graceful shutdown (DEFAULT_PHASE - 1024). */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
