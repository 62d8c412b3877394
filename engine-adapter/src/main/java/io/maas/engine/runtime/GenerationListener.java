package io.maas.engine.runtime;

import java.io.IOException;

/**
 * Receives a generation as it happens, on the thread that called {@link Engine#generate}. Throwing
 * {@link IOException} (the client went away) cancels the generation.
 *
 * <p>Order of calls: {@link #waiting()} any number of times while the request waits for a slot, then
 * {@link #started} once, then {@link #reasoning} for every token of the model's chain of thought (if
 * it has one), then {@link #token} for every token of the answer. A generation that never got a slot
 * sees no {@link #started}. Every {@link #reasoning} and {@link #token} call is one completion token; the tokens
 * of a function call are {@link #token} calls with empty text, and the call itself reaches {@link #toolCall}.
 */
public interface GenerationListener {

    /**
     * Called at the engine's keep-alive interval while the request waits for a free slot, so that a
     * streamed response can send a comment and the client sees the connection is alive. Does nothing by default.
     */
    default void waiting() throws IOException {
    }

    /** Called once a slot is taken and the prompt is about to be processed; {@code cachedPromptTokens} of it are cached. */
    void started(int promptTokens, int cachedPromptTokens) throws IOException;

    /**
     * Called once per generated token of the chain of thought (DeepSeek's {@code reasoning_content}),
     * before any {@link #token}; engines without reasoning never call it. Ignored by default.
     */
    default void reasoning(String text) throws IOException {
    }

    /** Called once per generated token that completes text; {@code text} may be empty (a held-back stop word, an end token). */
    void token(String text) throws IOException;

    /**
     * A function call, or the next piece of one (OpenAI's {@code delta.tool_calls[]}): the first piece of call
     * {@code index} carries its {@code id} and {@code name}, later pieces only more {@code arguments} text (id and name
     * null). Not a token of its own. Ignored by default.
     */
    default void toolCall(int index, String id, String name, String arguments) throws IOException {
    }
}
