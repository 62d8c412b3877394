package io.maas.engine.runtime;

/**
 * The outcome of one generation, counted by the engine: {@code promptTokens} of which
 * {@code cachedPromptTokens} were served from the prompt cache, and {@code completionTokens}
 * generated, {@code reasoningTokens} of them chain of thought. A generation cancelled before its
 * prompt was processed counts no tokens at all.
 */
public record Generation(int promptTokens, int cachedPromptTokens, int completionTokens, int reasoningTokens,
        FinishReason finishReason) {

    /** A generation without chain of thought. */
    public Generation(int promptTokens, int cachedPromptTokens, int completionTokens, FinishReason finishReason) {
        this(promptTokens, cachedPromptTokens, completionTokens, 0, finishReason);
    }

    public int uncachedPromptTokens() {
        return promptTokens - cachedPromptTokens;
    }
}
