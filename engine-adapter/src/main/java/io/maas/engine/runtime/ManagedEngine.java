package io.maas.engine.runtime;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the configured engine in the background once the web server is up, so that {@code /health}
 * can answer "not yet" (503) while a large model loads, and closes it when the application stops.
 * A start failure is kept and shown by the health check and by every request instead of ending the
 * process, so that an operator can read why.
 */
public final class ManagedEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ManagedEngine.class);

    /** Where the engine is in its life; only {@code READY} serves requests. */
    public enum State { LOADING, READY, FAILED, STOPPED }

    private record Status(State state, Engine engine, String error) {
    }

    private static final Status LOADING = new Status(State.LOADING, null, null);

    private final EngineFactory factory;
    private final AtomicReference<Status> status = new AtomicReference<>(LOADING);
    private volatile Thread loader;

    public ManagedEngine(EngineFactory factory) {
        this.factory = factory;
    }

    /** The engine, or {@link EngineUnavailableException} while it loads, after it failed or stopped. */
    public Engine ready() {
        Status current = status.get();
        return switch (current.state()) {
            case READY -> current.engine();
            case LOADING -> throw new EngineUnavailableException("The model is still loading; retry shortly.");
            case FAILED -> throw new EngineUnavailableException("The model failed to load: " + current.error());
            case STOPPED -> throw new EngineUnavailableException("The engine is shutting down.");
        };
    }

    public State state() {
        return status.get().state();
    }

    /** Why the engine failed to start; null unless {@link #state()} is {@code FAILED}. */
    public String error() {
        return status.get().error();
    }

    @Override
    public void start() {
        loader = Thread.ofPlatform().name("engine-loader").daemon().start(this::load);
    }

    private void load() {
        try {
            Engine engine = factory.start();
            if (!status.compareAndSet(LOADING, new Status(State.READY, engine, null))) {
                engine.close();
            }
        } catch (RuntimeException e) {
            log.error("The engine failed to start: {}", e.getMessage(), e);
            status.compareAndSet(LOADING, new Status(State.FAILED, null, e.getMessage()));
        }
    }

    @Override
    public void stop() {
        Thread pending = loader;
        if (pending != null) {
            try {
                pending.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Status last = status.getAndSet(new Status(State.STOPPED, null, null));
        if (last.engine() != null) {
            log.info("Closing the engine");
            last.engine().close();
        }
    }

    /** Stopped after the web server has drained its requests (graceful shutdown runs at DEFAULT_PHASE - 2048). */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return loader != null && state() != State.STOPPED;
    }
}
