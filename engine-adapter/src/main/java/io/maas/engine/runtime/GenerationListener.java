package io.maas.engine.runtime;

import java.io.IOException;

/**
 * Receives a generation as it happens, on the thread that called {@link Engine#generate}. Throwing
 * {@link IOException} (the client went away) cancels the generation.
 */
public interface GenerationListener {

    /** Called once a slot is taken and the prompt is about to be processed; {@code cachedPromptTokens} of it are cached. */
    void started(int promptTokens, int cachedPromptTokens) throws IOException;

    /** Called once per generated token that completes text; {@code text} may be empty (a held-back stop word, an end token). */
    void token(String text) throws IOException;
}
