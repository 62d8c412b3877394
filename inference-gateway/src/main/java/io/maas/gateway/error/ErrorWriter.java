package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes an error body where no controller runs (filters): Anthropic's shape under {@code /anthropic/}, else OpenAI's. */
@Component
public class ErrorWriter {

    private final JsonMapper json;

    ErrorWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ApiError error, String message, String param)
            throws IOException {
        boolean anthropic = AnthropicErrors.applies(request);
        response.setStatus(anthropic ? AnthropicErrors.status(error) : error.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), anthropic
                ? AnthropicErrors.response(error, message, param, null)
                : error.response(message, param));
    }
}
