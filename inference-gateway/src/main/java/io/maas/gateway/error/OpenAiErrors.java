package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where the gateway turns exceptions into HTTP answers: in OpenAI's error shape, or in
 * Anthropic's under {@code /anthropic/} ({@link AnthropicErrors}). Unexpected failures are logged with their stack trace here and reach the client only as a
 * generic message: never a class name, a stack trace or SQL.
 */
@RestControllerAdvice
class OpenAiErrors {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> refused(ApiException e, HttpServletRequest request) {
        var answer = status(request, e.error());
        e.headers().forEach(answer::header);
        return answer.body(body(request, e.error(), e.getMessage(), e.param(), e.headers().get(RequestId.HEADER)));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return answer(request, ApiError.NOT_FOUND, "Unknown path /" + e.getResourcePath() + ". See "
                + (AnthropicErrors.applies(request) ? "GET /anthropic/v1/models and POST /anthropic/v1/messages."
                : "GET /v1/models and POST /v1/chat/completions."), null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(request, ApiError.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed here; use "
                + e.getSupportedHttpMethods() + ".", null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return answer(request, ApiError.INVALID_REQUEST, "This endpoint answers in JSON or text/event-stream only.", null);
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Object> databaseDown(DataAccessException e, HttpServletRequest request) {
        log.warn("PostgreSQL failed {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMostSpecificCause().getMessage());
        return status(request, ApiError.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(body(request,
                ApiError.SERVICE_UNAVAILABLE, "The gateway cannot reach its database right now. Retry in a few seconds.", null, null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(request, ApiError.INTERNAL, "The gateway failed to process the request. Retry; if it persists, contact the platform team.", null);
    }

    private static ResponseEntity<Object> answer(HttpServletRequest request, ApiError error, String message, String param) {
        return status(request, error).body(body(request, error, message, param, null));
    }

    /** JSON even to a client that accepts only text/event-stream (a refused stream): a preset type is not negotiated. */
    private static ResponseEntity.BodyBuilder status(HttpServletRequest request, ApiError error) {
        return ResponseEntity.status(AnthropicErrors.applies(request) ? AnthropicErrors.status(error) : error.status())
                .contentType(MediaType.APPLICATION_JSON);
    }

    private static Object body(HttpServletRequest request, ApiError error, String message, String param, String requestId) {
        return AnthropicErrors.applies(request) ? AnthropicErrors.response(error, message, param, requestId) : error.response(message, param);
    }
}
