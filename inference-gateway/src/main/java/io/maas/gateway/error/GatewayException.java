package io.maas.gateway.error;

import io.maas.api.openai.ApiError;

/** A request refused with one of the {@link ApiError}s; the message is shown to the client as is. */
public class GatewayException extends RuntimeException {

    private final ApiError error;
    private final String param;

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
}
