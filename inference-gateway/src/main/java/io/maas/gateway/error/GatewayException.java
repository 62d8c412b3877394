package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request refused with one of the {@link ApiError}s; the message is shown to the client as is, with
 * the headers added by {@link #withHeader} ({@code Retry-After}, rate-limit state).
 */
public class GatewayException extends RuntimeException {

    private final ApiError error;
    private final String param;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public GatewayException(ApiError error, String message) {
        this(error, message, null);
    }

    public GatewayException(ApiError error, String message, String param) {
        super(message);
        this.error = error;
        this.param = param;
    }

    public ApiError error() {
        return error;
    }

    public String param() {
        return param;
    }

    /** Adds a header to the answer; returns this exception. */
    public GatewayException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds headers to the answer; returns this exception. */
    public GatewayException withHeaders(Map<String, String> more) {
        headers.putAll(more);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
