package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ErrorResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where the gateway turns exceptions into HTTP answers, in OpenAI's error shape
 * (under {@code /anthropic/}, {@link AnthropicErrorShape} writes the same error in Anthropic's). Unexpected failures are logged with their stack trace here and reach the client only as a
 * generic message: never a class name, a stack trace or SQL.
 */
@RestControllerAdvice
class OpenAiErrors {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorResponse> refused(ApiException e) {
        // JSON even to a client that accepts only text/event-stream (a refused stream): a preset type is not negotiated
        var answer = ResponseEntity.status(e.error().status()).contentType(MediaType.APPLICATION_JSON);
        e.headers().forEach(answer::header);
        return answer.body(e.error().response(e.getMessage(), e.param()));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ErrorResponse> notFound(NoResourceFoundException e) {
        return answer(ApiError.NOT_FOUND, "Unknown path /" + e.getResourcePath() + ". See GET /v1/models and POST /v1/chat/completions.", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorResponse> method(HttpRequestMethodNotSupportedException e) {
        return answer(ApiError.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not allowed here; use " + e.getSupportedHttpMethods() + ".", null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ErrorResponse> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return answer(ApiError.INVALID_REQUEST, "This endpoint answers in JSON or text/event-stream only.", null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
        return answer(ApiError.INVALID_REQUEST, "The request body is not valid JSON.", null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorResponse> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(ApiError.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + e.getContentType() + " is not accepted here; use "
                + e.getSupportedMediaTypes() + ".", null);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ErrorResponse> uploadTooLarge(MaxUploadSizeExceededException e) {
        return answer(ApiError.REQUEST_TOO_LARGE, "The upload is larger than this gateway takes (platform.gateway.files.max-size"
                + (e.getMaxUploadSize() > 0 ? ", " + e.getMaxUploadSize() + " bytes" : "") + "). Split the batch into several files.", "file");
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ErrorResponse> notMultipart(MultipartException e) {
        return answer(ApiError.INVALID_REQUEST, "Send the file as multipart/form-data with the parts 'file' and 'purpose'.", null);
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ErrorResponse> databaseDown(DataAccessException e, HttpServletRequest request) {
        log.warn("PostgreSQL failed {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(ApiError.SERVICE_UNAVAILABLE.status()).header("Retry-After", "5").body(ApiError.SERVICE_UNAVAILABLE
                .response("The gateway cannot reach its database right now. Retry in a few seconds.", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorResponse> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(ApiError.INTERNAL, "The gateway failed to process the request. Retry; if it persists, contact the platform team.", null);
    }

    static ResponseEntity<ErrorResponse> answer(ApiError error, String message, String param) {
        return ResponseEntity.status(error.status()).body(error.response(message, param));
    }
}
