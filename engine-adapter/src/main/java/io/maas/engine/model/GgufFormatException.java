package io.maas.engine.model;

/** A file is not valid GGUF, or not a version this reader understands. */
public class GgufFormatException extends RuntimeException {

    public GgufFormatException(String message) {
        super(message);
    }
}
