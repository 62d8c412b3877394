package io.maas.gateway.relay;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import io.maas.gateway.auth.CallerKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions}: the key's concurrency and the body's bytes are held before the body is read
 * and until the request ends; the body is parsed and validated ({@link RequestParser}), and the request runs through
 * the {@link ChatPipeline} (route, admit, engine, relay, settle; its javadoc states what it guarantees), the answer
 * passing through to the client as the engine sent it ({@link OpenAiAnswer}).
 */
@RestController
class ChatCompletionsController {

    private final RequestParser parser;
    private final ChatPipeline pipeline;
    private final JsonMapper json;

    ChatCompletionsController(RequestParser parser, ChatPipeline pipeline, JsonMapper json) {
        this.parser = parser;
        this.pipeline = pipeline;
        this.json = json;
    }

    @PostMapping("/v1/chat/completions")
    @SuppressWarnings("try") // the resources are held, never referenced
    void create(CallerKey caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = ChatPipeline.newRequestId();
        try (ChatPipeline.Held held = pipeline.hold(caller, request.getContentLengthLong())) {
            ChatRequest chat = parser.parse(request.getInputStream(), request.getContentLengthLong());
            pipeline.run(caller, requestId, chat, new OpenAiAnswer(response, json));
        } catch (ApiException refused) {
            throw refused.withHeader(RequestId.HEADER, requestId); // a refused request can be quoted to support too
        }
    }
}
