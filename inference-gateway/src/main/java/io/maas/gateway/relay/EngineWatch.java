package io.maas.gateway.relay;

import io.maas.gateway.GatewayProperties;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Bounds how long an engine's answer may take, so that no request holds its reservations for ever: every
 * answer ends at the request's deadline ({@code platform.gateway.request-deadline}, the bound up to which
 * admission renews its holds), and a streamed one also when the engine sends nothing for {@code platform.gateway.engine-idle-timeout}
 * (keep-alive comments are progress for the idle timeout, never for the deadline). Cutting off closes
 * the engine's body from a timer: the blocked read ends with an {@link IOException}, which the relay
 * treats as the engine breaking off (the request is billed from the engine's receipt), and the engine
 * sees its connection closed and aborts the work.
 */
@Component
class EngineWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineWatch.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("engine-watch").factory());
    private final Duration idle;
    private final long periodMillis;

    EngineWatch(GatewayProperties properties) {
        this.idle = properties.engineIdleTimeout();
        this.periodMillis = Math.clamp(idle.toMillis() / 4, 50, 1000);
    }

    /** {@code body} as it is read, cut off at {@code deadline}, and when {@code stream} after {@code idle} without a byte. */
    InputStream watch(InputStream body, Instant deadline, boolean stream, String requestId) {
        return new Watched(body, deadline, stream ? idle : null, requestId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private final class Watched extends FilterInputStream {

        private final long deadlineNanos;
        private final long idleNanos;
        private final String requestId;
        private final ScheduledFuture<?> check;
        private volatile long lastProgress = System.nanoTime();

        Watched(InputStream body, Instant deadline, Duration idle, String requestId) {
            super(body);
            this.deadlineNanos = System.nanoTime() + Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
            this.idleNanos = idle == null ? Long.MAX_VALUE : idle.toNanos();
            this.requestId = requestId;
            this.check = timer.scheduleAtFixedRate(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }

        private void check() {
            long now = System.nanoTime();
            String reason = now - deadlineNanos >= 0 ? "reached its deadline"
                    : now - lastProgress >= idleNanos ? "got nothing from the engine for " + idle.toSeconds() + " s" : null;
            if (reason != null) {
                log.warn("request={} {}: cutting the engine off; it is billed from the engine's receipt", requestId, reason);
                try {
                    close();
                } catch (IOException e) {
                    log.debug("request={}: closing the engine's answer failed: {}", requestId, e.toString());
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastProgress = System.nanoTime();
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                lastProgress = System.nanoTime();
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            check.cancel(false);
            super.close();
        }
    }
}
