package io.maas.engine.runtime;

/** The engine failed: it could not start, or a generation failed inside it. The message is safe to show. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
