package io.maas.gateway.anthropic;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.Usage;
import io.maas.gateway.error.AnthropicErrors;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates an engine's chat completion chunks into Anthropic's event stream, as they come, one event out per piece
 * of answer in (nothing is held back):
 * <pre>
 * message_start                       once, before anything else (usage unknown yet: zeros)
 * ping                                for each {@code : keep-alive} (a queued request, an idle engine)
 * content_block_start                 a block opens when the kind of delta changes: reasoning_content → thinking,
 *   content_block_delta …               content → text, a new tool call index → tool_use; deltas are thinking_delta,
 * content_block_stop                    text_delta, input_json_delta (the arguments as the engine streams them)
 * message_delta                       at the end: stop_reason, stop_sequence and the usage billed
 * message_stop
 * </pre>
 * A stream the engine broke off ends with an {@code error} event instead of {@code message_delta}, as Anthropic's do.
 * Not thread-safe: one request's relay drives it.
 */
final class MessageStream {

    /** Where the events go: an SSE writer's {@code event(name, json)}. */
    interface Events {
        void event(String name, String json) throws IOException;
    }

    private enum Block { NONE, THINKING, TEXT, TOOL_USE }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Events out;
    private final String id;
    private final String model;
    private final List<String> stopSequences;
    private boolean started;
    private Block open = Block.NONE;
    private int index = -1;
    private int toolCall = -1;
    private boolean calledTools;
    private String finishReason = "";
    private String stopSequence;

    MessageStream(Events out, String id, String model, List<String> stopSequences) {
        this.out = out;
        this.id = id;
        this.model = model;
        this.stopSequences = List.copyOf(stopSequences);
    }

    /** {@code message_start}, unless it was sent. */
    void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = MessageResponse.start(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", MessageResponse.usage(null));
        ObjectNode event = event("message_start");
        event.set("message", message);
        send(event);
    }

    /** Anthropic's keep-alive, for the OpenAI stream's {@code : keep-alive}. */
    void keepAlive() throws IOException {
        start();
        send(event("ping"));
    }

    /** One {@code chat.completion.chunk} of the engine's stream. */
    void chunk(JsonNode chunk) throws IOException {
        start();
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String reasoning = MessageResponse.string(delta.get("reasoning_content"));
            if (!reasoning.isEmpty()) {
                open(Block.THINKING, -1, null);
                delta("thinking_delta", "thinking", reasoning);
            }
            String text = MessageResponse.string(delta.get("content"));
            if (!text.isEmpty()) {
                open(Block.TEXT, -1, null);
                delta("text_delta", "text", text);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                calledTools = true;
                open(Block.TOOL_USE, call.path("index").asInt(0), call);
                String arguments = MessageResponse.string(call.path("function").get("arguments"));
                if (!arguments.isEmpty()) {
                    delta("input_json_delta", "partial_json", arguments);
                }
            }
            String finish = MessageResponse.string(choice.get("finish_reason"));
            if (!finish.isEmpty()) {
                finishReason = finish;
                stopSequence = MessageResponse.stopSequence(choice, stopSequences);
            }
        }
    }

    /** The answer is complete and billed as {@code usage}: closes the open block, then {@code message_delta} and {@code message_stop}. */
    void end(Usage usage) throws IOException {
        start();
        close();
        ObjectNode event = event("message_delta");
        event.putObject("delta")
                .put("stop_reason", MessageResponse.stopReason(finishReason, calledTools, stopSequence))
                .put("stop_sequence", stopSequence);
        event.set("usage", MessageResponse.usage(usage));
        send(event);
        send(event("message_stop"));
    }

    /** The answer broke off or was refused after the stream began: an {@code error} event ends the stream. */
    void failed(ApiError error, String message) throws IOException {
        var body = AnthropicErrors.response(error, message, null, null);
        ObjectNode event = event("error");
        event.putObject("error").put("type", body.error().type()).put("message", body.error().message());
        send(event);
    }

    /** Opens a block of kind {@code kind} (for a tool use: of tool call {@code call}) unless it is the one open. */
    private void open(Block kind, int callIndex, JsonNode call) throws IOException {
        if (open == kind && (kind != Block.TOOL_USE || callIndex == toolCall)) {
            return;
        }
        close();
        open = kind;
        toolCall = callIndex;
        index++;
        ObjectNode block = NODES.objectNode();
        switch (kind) {
            case THINKING -> block.put("type", "thinking").put("thinking", "").put("signature", "");
            case TEXT -> block.put("type", "text").put("text", "");
            case TOOL_USE -> block.put("type", "tool_use")
                    .put("id", MessageResponse.toolUseId(call, id, callIndex))
                    .put("name", MessageResponse.string(call.path("function").get("name")))
                    .putObject("input");
            case NONE -> throw new IllegalArgumentException("no block to open");
        }
        ObjectNode event = event("content_block_start").put("index", index);
        event.set("content_block", block);
        send(event);
    }

    private void close() throws IOException {
        if (open != Block.NONE) {
            send(event("content_block_stop").put("index", index));
            open = Block.NONE;
        }
    }

    private void delta(String type, String member, String value) throws IOException {
        ObjectNode event = event("content_block_delta").put("index", index);
        event.putObject("delta").put("type", type).put(member, value);
        send(event);
    }

    private static ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }

    private void send(ObjectNode event) throws IOException {
        out.event(event.get("type").asString(), event.toString());
    }
}
