package io.maas.engine.runtime;

/**
 * Starts the engine that {@code platform.engine.runtime} names; each runtime's configuration
 * contributes one. Called once, on a background thread; may take minutes for a large model.
 */
@FunctionalInterface
public interface EngineFactory {

    /** A ready engine, or {@link EngineException} saying why it could not start. */
    Engine start();
}
