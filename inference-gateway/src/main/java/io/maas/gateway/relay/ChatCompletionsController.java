package io.maas.gateway.relay;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import io.maas.gateway.auth.CallerKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions} (FIM, DeepSeek's beta shape: {@code prompt} and
 * {@code suffix}): the key's concurrency and the body's bytes are held before the body is read
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
    void create(CallerKey caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(caller, request, response, parser::parse);
    }

    /** Routed, admitted, metered and priced as a chat request; the engine answers on its {@code /v1/completions}. */
    @PostMapping("/v1/completions")
    void complete(CallerKey caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(caller, request, response, parser::parseCompletion);
    }

    private interface Parse {
        ChatRequest parse(InputStream body, long declaredLength);
    }

    @SuppressWarnings("try") // the resources are held, never referenced
    private void serve(CallerKey caller, HttpServletRequest request, HttpServletResponse response, Parse parse) throws IOException {
        String requestId = RequestId.next();
        try (ChatPipeline.Held held = pipeline.hold(caller, request.getContentLengthLong())) {
            ChatRequest chat = parse.parse(request.getInputStream(), request.getContentLengthLong());
            pipeline.run(caller, requestId, chat, new OpenAiAnswer(response, json));
        } catch (ApiException refused) {
            throw refused.withHeader(RequestId.HEADER, requestId); // a refused request can be quoted to support too
        }
    }
}
