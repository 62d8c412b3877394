package io.maas.api.openai;

/**
 * Every error the {@code /v1} APIs answer with: HTTP status, OpenAI's {@code type} and {@code code}.
 * Gateway and engine adapter map their failures onto these, so a client sees one vocabulary.
 */
public enum ApiError {
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request"),
    CONTEXT_LENGTH_EXCEEDED(400, "invalid_request_error", "context_length_exceeded"),
    INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key"),
    /** DeepSeek's answer when a prepaid balance cannot cover a request ("Insufficient Balance"). */
    INSUFFICIENT_BALANCE(402, "invalid_request_error", "insufficient_balance"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
    /** A requests-per-minute, tokens-per-minute or concurrency limit; {@code Retry-After} says when to retry. */
    RATE_LIMIT_EXCEEDED(429, "rate_limit_error", "rate_limit_exceeded"),
    /** A daily or monthly token budget, a monthly spend limit or a postpaid credit limit is used up. */
    INSUFFICIENT_QUOTA(429, "insufficient_quota", "insufficient_quota"),
    INTERNAL(500, "server_error", "internal_error"),
    ENGINE_ERROR(502, "server_error", "engine_error"),
    ENGINE_UNAVAILABLE(503, "server_error", "engine_unavailable"),
    /** The gateway cannot reach its database and has no recent enough answer to go on with. */
    SERVICE_UNAVAILABLE(503, "server_error", "service_unavailable"),
    /** The gateway cannot reach the store of its shared limit counters and fails closed. */
    LIMITS_UNAVAILABLE(503, "server_error", "limits_unavailable"),
    /** Every engine of the model is busy and the gateway's queue for it is full, or the request waited too long in it. */
    OVERLOADED(503, "server_error", "overloaded");

    private final int status;
    private final String type;
    private final String code;

    ApiError(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public ErrorResponse response(String message, String param) {
        return new ErrorResponse(new ErrorResponse.Body(message, type, param, code));
    }

    /** The error a client sees when a request failed as {@code status} upstream, for statuses without a closer match. */
    public static ApiError forStatus(int status) {
        for (ApiError error : values()) {
            if (error.status == status) {
                return error;
            }
        }
        return status >= 500 ? ENGINE_ERROR : INVALID_REQUEST;
    }
}
