package io.maas.api.openai;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one failure a client is told about, in OpenAI's error shape ({@link ApiError#response}), by the
 * gateway and the engine adapter alike: the message says what was wrong and what to do, {@code param}
 * names the request member at fault (or is null), and {@link #withHeader} adds headers to the answer
 * ({@code Retry-After}, rate-limit state, the request id).
 */
public class ApiException extends RuntimeException {

    private final ApiError error;
    private final String param;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(ApiError error, String message) {
        this(error, message, null);
    }

    public ApiException(ApiError error, String message, String param) {
        super(message);
        this.error = error;
        this.param = param;
    }

    public ApiError error() {
        return error;
    }

    /** The request member at fault (OpenAI's {@code param}), or null. */
    public String param() {
        return param;
    }

    /** Adds a header to the answer; returns this exception. */
    public ApiException withHeader(String name, String value) {
        synchronized (headers) {
            headers.put(name, value);
        }
        return this;
    }

    /** Adds headers to the answer; returns this exception. */
    public ApiException withHeaders(Map<String, String> more) {
        synchronized (headers) {
            headers.putAll(more);
        }
        return this;
    }

    public Map<String, String> headers() {
        synchronized (headers) {
            return Map.copyOf(headers);
        }
    }
}
