package io.maas.engine.status;

import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The adapter's own count of the generations it asked its engine for: how many wait and run now,
 * prompt tokens and prefix-cache hits, generated tokens, time to first token (from the call, waiting
 * included) and the time between two tokens of a request. Every chat request is observed through
 * {@link #observe}.
 */
public final class EngineStats {

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder cachedPromptTokens = new LongAdder();
    private final LongAdder generationTokens = new LongAdder();
    private final LatencyHistogram timeToFirstToken = new LatencyHistogram(LatencyHistogram.TTFT_BOUNDS);
    private final LatencyHistogram timePerOutputToken = new LatencyHistogram(LatencyHistogram.TPOT_BOUNDS);

    /** Wraps {@code listener} so that the generation it receives is counted; close the observation when it is over. */
    public Observation observe(GenerationListener listener) {
        waiting.incrementAndGet();
        return new Observation(listener, System.nanoTime());
    }

    int waiting() {
        return waiting.get();
    }

    int running() {
        return running.get();
    }

    long promptTokens() {
        return promptTokens.sum();
    }

    long cachedPromptTokens() {
        return cachedPromptTokens.sum();
    }

    long generationTokens() {
        return generationTokens.sum();
    }

    LatencyHistogram.Snapshot timeToFirstToken() {
        return timeToFirstToken.snapshot();
    }

    LatencyHistogram.Snapshot timePerOutputToken() {
        return timePerOutputToken.snapshot();
    }

    /** One generation being observed: waiting until {@code started}, then running until closed. */
    public final class Observation implements GenerationListener, AutoCloseable {

        private final GenerationListener delegate;
        private final long arrived;
        private boolean started;
        private boolean closed;
        private long lastToken;

        private Observation(GenerationListener delegate, long arrived) {
            this.delegate = delegate;
            this.arrived = arrived;
        }

        @Override
        public void waiting() throws IOException {
            delegate.waiting();
        }

        @Override
        public void started(int prompt, int cached) throws IOException {
            if (!started) {
                started = true;
                waiting.decrementAndGet();
                running.incrementAndGet();
            }
            delegate.started(prompt, cached);
        }

        @Override
        public void reasoning(String text) throws IOException {
            tick();
            delegate.reasoning(text);
        }

        @Override
        public void token(String text) throws IOException {
            tick();
            delegate.token(text);
        }

        @Override
        public void toolCall(int index, String id, String name, String arguments) throws IOException {
            delegate.toolCall(index, id, name, arguments);
        }

        private void tick() {
            long now = System.nanoTime();
            if (lastToken == 0) {
                timeToFirstToken.observeNanos(now - arrived);
            } else {
                timePerOutputToken.observeNanos(now - lastToken);
            }
            lastToken = now;
        }

        /** Counts the engine's final token numbers. */
        public void finished(Generation generation) {
            promptTokens.add(generation.promptTokens());
            cachedPromptTokens.add(generation.cachedPromptTokens());
            generationTokens.add(generation.completionTokens());
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            (started ? running : waiting).decrementAndGet();
        }
    }
}
