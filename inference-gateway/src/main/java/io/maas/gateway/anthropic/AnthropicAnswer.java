package io.maas.gateway.anthropic;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseWriter;
import io.maas.gateway.relay.AnswerSink;
import io.maas.gateway.relay.EventStreams;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Messages API's {@link AnswerSink}: a whole answer as an Anthropic {@code message} ({@link MessageResponse}), a
 * stream as Anthropic's events ({@link MessageStream}); {@code message_start} goes out as soon as the stream's
 * headers do (while queued, too), and the engine's and the queue's keep-alives become {@code ping}s.
 */
final class AnthropicAnswer implements AnswerSink {

    /** Anthropic's name of the request id header, which its SDKs read; the gateway's own is sent too. */
    static final String REQUEST_ID = "request-id";
    private static final Logger log = LoggerFactory.getLogger(AnthropicAnswer.class);

    private final HttpServletResponse response;
    private final JsonMapper json;
    private final String id;
    private final String model;
    private final List<String> stopSequences;
    private final String requestId;
    private MessageStream stream;

    /**
     * @param requestId     the gateway's request id; the message's id is {@code msg_} and it
     * @param model         the served model that answers
     * @param stopSequences the request's, to tell {@code stop_sequence} from {@code end_turn}
     */
    AnthropicAnswer(HttpServletResponse response, JsonMapper json, String requestId, String model, List<String> stopSequences) {
        this.response = response;
        this.json = json;
        this.requestId = requestId;
        this.id = "msg_" + requestId;
        this.model = model;
        this.stopSequences = List.copyOf(stopSequences);
    }

    @Override
    public void admitted(Map<String, String> headers) {
        headers.forEach(response::setHeader);
        response.setHeader(REQUEST_ID, requestId);
    }

    @Override
    public void queued() throws IOException {
        streamStarted();
        response.flushBuffer();
    }

    @Override
    public void keepAlive() throws IOException {
        stream().keepAlive();
    }

    @Override
    public void streamStarted() throws IOException {
        EventStreams.start(response);
        stream().start();
    }

    @Override
    public void event(String chunk) throws IOException {
        stream().chunk(json.readTree(chunk));
    }

    @Override
    public void completed(Usage usage) throws IOException {
        stream().end(usage);
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
        byte[] message = json.writeValueAsBytes(MessageResponse.of(tree, usage, id, model, stopSequences));
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(message.length);
        response.getOutputStream().write(message);
    }

    private MessageStream stream() throws IOException {
        if (stream == null) {
            var client = new SseWriter(response.getOutputStream());
            stream = new MessageStream(client::event, id, model, stopSequences);
        }
        return stream;
    }

    private void errorEvent(ApiException error) {
        try {
            stream().failed(error.error(), error.getMessage());
        } catch (IOException e) {
            log.debug("Client left before it was told its request failed: {}", e.getMessage());
        }
    }
}
