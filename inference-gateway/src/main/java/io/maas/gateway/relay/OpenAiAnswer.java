package io.maas.gateway.relay;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseFrameReader.SseFrame;
import io.maas.api.sse.SseWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible endpoints' {@link AnswerSink}: the engine's answer passes through to the HTTP response
 * as it came, a stream as server-sent events ending in {@code [DONE]}; a failure after the stream's headers were
 * sent becomes an error event that ends the stream without {@code [DONE]}.
 */
final class OpenAiAnswer implements AnswerSink {

    private static final Logger log = LoggerFactory.getLogger(OpenAiAnswer.class);

    private final HttpServletResponse response;
    private final JsonMapper json;

    OpenAiAnswer(HttpServletResponse response, JsonMapper json) {
        this.response = response;
        this.json = json;
    }

    @Override
    public void admitted(Map<String, String> headers) {
        headers.forEach(response::setHeader);
    }

    @Override
    public void queued() throws IOException {
        streamStarted();
        response.flushBuffer();
    }

    @Override
    public void keepAlive() throws IOException {
        client().keepAlive();
    }

    @Override
    public void streamStarted() {
        EventStreams.start(response);
    }

    @Override
    public void event(String chunk) throws IOException {
        client().data(chunk);
    }

    @Override
    public void event(SseFrame chunk) throws IOException {
        chunk.writeTo(response.getOutputStream());
    }

    @Override
    public void flush() throws IOException {
        response.getOutputStream().flush();
    }

    @Override
    public void completed(Usage usage) throws IOException {
        client().done();
    }

    @Override
    public void broken(ApiException error) {
        errorEvent(error);
    }

    @Override
    public void refused(ApiException refusal) {
        errorEvent(refusal);
    }

    @Override
    public void answer(byte[] body, JsonNode tree, Usage usage) throws IOException {
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private SseWriter client() throws IOException {
        return new SseWriter(response.getOutputStream());
    }

    private void errorEvent(ApiException error) {
        try {
            client().data(json.writeValueAsString(error.error().response(error.getMessage(), error.param())));
        } catch (IOException e) {
            log.debug("Client left before it was told its request failed: {}", e.getMessage());
        }
    }
}
