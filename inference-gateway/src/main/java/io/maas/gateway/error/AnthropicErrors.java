package io.maas.gateway.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.maas.api.openai.ApiError;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Errors in the shape of Anthropic's Messages API, answered under {@value #PATH_PREFIX}:
 * {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}}. Each {@link ApiError} keeps its status
 * and gets Anthropic's {@code type} for it, except a model whose engines are all busy or gone, which is Anthropic's
 * 529 {@code overloaded_error} (the SDKs retry it). The mapping goes by status, so that every error the gateway has
 * (and any it adds) gets one.
 */
public final class AnthropicErrors {

    /** The paths whose answers, errors included, are in Anthropic's format. */
    public static final String PATH_PREFIX = "/anthropic/";
    /** Anthropic's status for an overloaded API. */
    static final int OVERLOADED = 529;

    /** Anthropic's error body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(String type, Body error, @JsonProperty("request_id") String requestId) {

        public record Body(String type, String message) {
        }
    }

    private AnthropicErrors() {
    }

    /** Whether {@code path} (without the context path) is one of the Anthropic API's. */
    public static boolean applies(String path) {
        return path != null && path.startsWith(PATH_PREFIX);
    }

    /** Whether {@code request} is one of the Anthropic API's, by the path as the servlet container resolved it. */
    public static boolean applies(HttpServletRequest request) {
        return applies(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
    }

    public static int status(ApiError error) {
        return error == ApiError.OVERLOADED || error == ApiError.ENGINE_UNAVAILABLE ? OVERLOADED : error.status();
    }

    /** Anthropic's {@code error.type} for {@code error}. */
    public static String type(ApiError error) {
        return switch (status(error)) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case OVERLOADED -> "overloaded_error";
            default -> error.status() >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /**
     * The body of {@code error}. Anthropic's errors have no {@code param}: the member at fault, when known, leads the
     * message as in Anthropic's own ({@code "max_tokens: Field required"}). {@code requestId} may be null (refused
     * before a request id was given).
     */
    public static Response response(ApiError error, String message, String param, String requestId) {
        String text = param == null || message.startsWith(param + ":") ? message : param + ": " + message;
        return new Response("error", new Response.Body(type(error), text), requestId);
    }
}
