package io.maas.api.openai;

/**
 * The request id: the gateway names every request it admits, answers with the name in this header
 * (so a client can quote it), and sends it to the engine in the same header, which keeps the
 * request's receipt under it ({@link io.maas.api.engine.EngineReceipt}).
 */
public final class RequestId {

    /** {@code X-Request-Id}; HTTP header names are case-insensitive. */
    public static final String HEADER = "X-Request-Id";

    private RequestId() {
    }
}
