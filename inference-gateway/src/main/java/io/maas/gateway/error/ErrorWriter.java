package io.maas.gateway.error;

import io.maas.api.openai.ApiError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes an OpenAI error body where no controller runs (filters). */
@Component
public class ErrorWriter {

    private final JsonMapper json;

    ErrorWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, ApiError error, String message, String param) throws IOException {
        response.setStatus(error.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), error.response(message, param));
    }
}
