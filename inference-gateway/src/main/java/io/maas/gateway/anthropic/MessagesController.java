package io.maas.gateway.anthropic;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.relay.ChatPipeline;
import io.maas.gateway.relay.ChatRequest;
import io.maas.gateway.relay.RequestParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /anthropic/v1/messages}, Anthropic's Messages API on the same path as chat completions: the key's
 * concurrency and the body's bytes are held before the body is read, the request is checked and translated
 * ({@link MessagesRequest}), its model name mapped ({@link ModelNames}), and the translated request parsed by the
 * same {@link RequestParser} and run by the same {@link ChatPipeline} (limits, admission, routing, usage record and
 * bill as chat's), the answer written in Anthropic's shape ({@link AnthropicAnswer}). The {@code anthropic-version}
 * and {@code anthropic-beta} headers are accepted and change nothing. Errors are Anthropic's (the gateway's error
 * handling answers in that shape under {@code /anthropic/}).
 */
@RestController
class MessagesController {

    private final RequestParser parser;
    private final ChatPipeline pipeline;
    private final ModelNames names;
    private final JsonMapper json;

    MessagesController(RequestParser parser, ChatPipeline pipeline, ModelNames names, JsonMapper json) {
        this.parser = parser;
        this.pipeline = pipeline;
        this.names = names;
        this.json = json;
    }

    @PostMapping("/anthropic/v1/messages")
    @SuppressWarnings("try") // the resources are held, never referenced
    void create(CallerKey caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = RequestId.next();
        try (ChatPipeline.Held held = pipeline.hold(caller, request.getContentLengthLong())) {
            MessagesRequest messages = MessagesRequest.of(parser.readJson(request.getInputStream(), request.getContentLengthLong()));
            String served = names.served(messages.model(), caller);
            ChatRequest chat = parser.parse(messages.chatRequest(served));
            pipeline.run(caller, requestId, chat, new AnthropicAnswer(response, json, requestId, served, messages.stopSequences()));
        } catch (ApiException refused) {
            throw refused.withHeader(RequestId.HEADER, requestId).withHeader(AnthropicAnswer.REQUEST_ID, requestId);
        }
    }
}
