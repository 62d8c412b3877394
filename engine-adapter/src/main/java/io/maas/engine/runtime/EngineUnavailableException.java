package io.maas.engine.runtime;

/** The engine cannot take requests now (loading, failed to load, shutting down). */
public class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message) {
        super(message);
    }
}
