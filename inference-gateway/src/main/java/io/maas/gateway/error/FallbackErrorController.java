package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ErrorResponse;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers what fails before a controller runs (the servlet container refusing a request, a filter
 * throwing) in OpenAI's error shape too, instead of the framework's default error page.
 */
@RestController
class FallbackErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ErrorResponse> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        ApiError error = status == 500 ? ApiError.INTERNAL : ApiError.forStatus(status);
        String message = switch (error) {
            case REQUEST_TOO_LARGE -> "The request body is too large.";
            case INTERNAL -> "The gateway failed to process the request. Retry; if it persists, contact the platform team.";
            default -> "The request could not be processed (HTTP " + status + ").";
        };
        return ResponseEntity.status(status >= 400 ? status : 500).body(error.response(message, null));
    }
}
