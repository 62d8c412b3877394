package io.maas.engine.system;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ErrorResponse;
import io.maas.engine.runtime.ContextLengthExceededException;
import io.maas.engine.runtime.EngineException;
import io.maas.engine.runtime.EngineUnavailableException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/**
 * The one place that turns failures into HTTP answers, always in OpenAI's error shape. Clients never
 * see a stack trace or a class name; unexpected failures are logged with the request's id.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler
    ResponseEntity<ErrorResponse> api(ApiException e) {
        return answer(e.error(), e.getMessage(), e.param());
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> contextLength(ContextLengthExceededException e) {
        return answer(ApiError.CONTEXT_LENGTH_EXCEEDED, e.getMessage(), "messages");
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> unavailable(EngineUnavailableException e) {
        return answer(ApiError.ENGINE_UNAVAILABLE, e.getMessage(), null);
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> engine(EngineException e) {
        log.error("Engine failure: {}", e.getMessage(), e);
        return answer(ApiError.ENGINE_ERROR, e.getMessage(), null);
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
        if (e.getMostSpecificCause() instanceof JacksonException json && !json.getPath().isEmpty()) {
            String param = json.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return answer(ApiError.INVALID_REQUEST, "Invalid value for '" + param + "': " + json.getOriginalMessage(),
                    param);
        }
        String detail = e.getMostSpecificCause() instanceof JacksonException json ? ": " + json.getOriginalMessage() : "";
        return answer(ApiError.INVALID_REQUEST, "The request body is not valid JSON" + detail, null);
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> typeMismatch(MethodArgumentTypeMismatchException e) {
        return answer(ApiError.INVALID_REQUEST, "Invalid value for '" + e.getName() + "'.", e.getName());
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> missingParameter(MissingServletRequestParameterException e) {
        return answer(ApiError.INVALID_REQUEST, "Missing parameter '" + e.getParameterName() + "'.", e.getParameterName());
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> method(HttpRequestMethodNotSupportedException e) {
        return answer(ApiError.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed here.", null);
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(ApiError.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json.", null);
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> notFound(NoResourceFoundException e) {
        return answer(ApiError.NOT_FOUND, "There is no " + e.getHttpMethod() + " /" + e.getResourcePath() + ".", null);
    }

    @ExceptionHandler
    void clientGone(AsyncRequestNotUsableException e) {
        log.debug("Client went away: {}", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> unexpected(Exception e) {
        log.error("Unexpected failure", e);
        return answer(ApiError.INTERNAL, "The engine adapter failed unexpectedly; the failure was logged.", null);
    }

    private static ResponseEntity<ErrorResponse> answer(ApiError error, String message, String param) {
        return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON)
                .body(error.response(message, param));
    }
}
