package io.maas.engine.runtime;

import java.time.Instant;

/**
 * The model an engine serves: the name clients use, what the model file says it is, and the context
 * one request can use ({@code contextSize / parallel} on llama.cpp).
 */
public record ModelInfo(String name, String architecture, long trainedContextLength, int contextPerRequest,
        int parallel, Instant loadedAt) {
}
