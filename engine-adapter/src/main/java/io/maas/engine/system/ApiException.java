package io.maas.engine.system;

import io.maas.api.openai.ApiError;

/** A failure a client is told about in OpenAI's error shape; the message says what was wrong and what to do. */
public class ApiException extends RuntimeException {

    private final ApiError error;
    private final String param;

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
}
