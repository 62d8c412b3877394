package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ErrorResponse;
import io.maas.api.openai.RequestId;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Under {@code /anthropic/}, the error that {@link OpenAiErrors} or {@link FallbackErrorController} decided on goes out
 * in Anthropic's shape and with Anthropic's status ({@link AnthropicErrors}): which error a failure is stays decided in
 * one place, and only its wire format depends on the API the client called. The request id, where the answer has one,
 * becomes the body's {@code request_id}.
 */
@RestControllerAdvice
class AnthropicErrorShape implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (!(body instanceof ErrorResponse error) || error.error() == null
                || !(request instanceof ServletServerHttpRequest servlet) || !anthropic(servlet.getServletRequest())) {
            return body;
        }
        ApiError apiError = Arrays.stream(ApiError.values()).filter(e -> e.code().equals(error.error().code())).findFirst()
                .orElse(ApiError.INTERNAL);
        response.setStatusCode(HttpStatusCode.valueOf(AnthropicErrors.status(apiError)));
        return AnthropicErrors.response(apiError, error.error().message(), error.error().param(),
                response.getHeaders().getFirst(RequestId.HEADER));
    }

    /** The path the client called: on the error dispatch ({@code /error}), the one that failed. */
    private static boolean anthropic(HttpServletRequest request) {
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return failed instanceof String uri ? AnthropicErrors.applies(uri) : AnthropicErrors.applies(request);
    }
}
