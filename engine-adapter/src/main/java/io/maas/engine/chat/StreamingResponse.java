package io.maas.engine.chat;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ChatCompletionChunk;
import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.TextCompletion;
import io.maas.api.openai.ToolCall;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseWriter;
import io.maas.engine.receipt.Receipt;
import io.maas.engine.runtime.GenerationListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a completion as OpenAI does: the headers and a first chunk with {@code delta.role=assistant}
 * once the engine starts, one chunk per token as it is generated (each flushed): {@code reasoning_content}
 * deltas for the chain of thought, then {@code content} deltas and {@code tool_calls} deltas, a closing chunk with
 * an empty delta and the {@code finish_reason}, the usage chunk (empty {@code choices}) when asked
 * for, then {@code [DONE]}. A failure after the headers were sent can only be told in the stream: an
 * error event in OpenAI's error shape, without {@code [DONE]}. While the request waits for a slot,
 * the headers are sent early and a {@code : keep-alive} comment at each of the engine's intervals.
 *
 * <p>A FIM completion ({@code text} true) streams {@code text_completion} chunks instead, each with the
 * {@code text} since the last one, and no opening role chunk.
 */
final class StreamingResponse implements GenerationListener {

    private final HttpServletResponse response;
    private final JsonMapper json;
    private final String id;
    private final String model;
    private final long created;
    private final Receipt receipt;
    private final boolean text;
    private SseWriter sse;
    private int promptTokens;
    private int cachedTokens;
    private int tokens;
    private int reasoningTokens;

    StreamingResponse(HttpServletResponse response, JsonMapper json, String requestId, String id, String model,
            long created, Receipt receipt, boolean text) {
        this.text = text;
        this.response = response;
        this.json = json;
        this.id = id;
        this.model = model;
        this.created = created;
        this.receipt = receipt;
        response.setHeader(RequestId.HEADER, requestId);
    }

    @Override
    public void waiting() throws IOException {
        open();
        sse.keepAlive();
    }

    @Override
    public void started(int promptTokens, int cachedPromptTokens) throws IOException {
        this.promptTokens = promptTokens;
        this.cachedTokens = cachedPromptTokens;
        receipt.progress(usage());
        open();
        if (!text) {
            chunk(new ChatMessage("assistant", "", null, null), null);
        }
    }

    @Override
    public void reasoning(String text) throws IOException {
        tokens++;
        reasoningTokens++;
        receipt.progress(usage());
        if (!text.isEmpty()) {
            chunk(new ChatMessage(null, null, text, null), null);
        }
    }

    @Override
    public void token(String text) throws IOException {
        tokens++;
        receipt.progress(usage());
        if (!text.isEmpty()) {
            chunk(ChatMessage.of(null, text), null);
        }
    }

    @Override
    public void toolCall(int index, String callId, String name, String arguments) throws IOException {
        var call = new ToolCall(index, callId, callId == null ? null : ToolCall.FUNCTION, new ToolCall.Function(name, arguments));
        chunk(new ChatMessage(null, null, null, null, List.of(call), null), null);
    }

    /** Sends the headers once; from then on only the stream can tell the client anything. */
    private void open() throws IOException {
        if (sse != null) {
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        sse = new SseWriter(response.getOutputStream());
    }

    /** The closing chunk, the usage chunk when {@code includeUsage}, and {@code [DONE]}. */
    void finish(String finishReason, Usage usage, boolean includeUsage) throws IOException {
        chunk(new ChatMessage(null, null, null, null), finishReason);
        if (includeUsage) {
            sse.data(json.writeValueAsString(text
                    ? new TextCompletion(id, TextCompletion.OBJECT, created, model, List.of(), usage)
                    : new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, model, List.of(), usage)));
        }
        sse.done();
    }

    /** Tells the client in the stream that the engine failed; false when the stream had not started. */
    boolean fail(String message) {
        if (sse == null) {
            return false;
        }
        try {
            sse.data(json.writeValueAsString(ApiError.ENGINE_ERROR.response(message, null)));
        } catch (IOException e) {
            // the client is gone too; the receipt records the failure
        }
        return true;
    }

    private Usage usage() {
        return Usage.of(cachedTokens, promptTokens - cachedTokens, tokens, reasoningTokens);
    }

    private void chunk(ChatMessage delta, String finishReason) throws IOException {
        sse.data(json.writeValueAsString(text
                ? new TextCompletion(id, TextCompletion.OBJECT, created, model,
                        List.of(new TextCompletion.Choice(0, delta.content() == null ? "" : delta.content(), finishReason)), null)
                : new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, model,
                        List.of(new ChatCompletionChunk.Choice(0, delta, finishReason)), null)));
    }
}
