package io.maas.engine.chat;

import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.Usage;
import io.maas.engine.receipt.Receipt;
import io.maas.engine.runtime.GenerationListener;

/** Collects a non-streamed completion's text and chain of thought, keeping the receipt's usage current meanwhile. */
final class CollectedResponse implements GenerationListener {

    private final Receipt receipt;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private int promptTokens;
    private int cachedTokens;
    private int tokens;
    private int reasoningTokens;

    CollectedResponse(Receipt receipt) {
        this.receipt = receipt;
    }

    @Override
    public void started(int promptTokens, int cachedPromptTokens) {
        this.promptTokens = promptTokens;
        this.cachedTokens = cachedPromptTokens;
    }

    @Override
    public void reasoning(String piece) {
        tokens++;
        reasoningTokens++;
        reasoning.append(piece);
        receipt.progress(Usage.of(cachedTokens, promptTokens - cachedTokens, tokens, reasoningTokens));
    }

    @Override
    public void token(String piece) {
        tokens++;
        text.append(piece);
        receipt.progress(Usage.of(cachedTokens, promptTokens - cachedTokens, tokens, reasoningTokens));
    }

    /** The answer message: the text, and the chain of thought when the model produced one. */
    ChatMessage message() {
        return new ChatMessage("assistant", text.toString(), reasoningTokens == 0 ? null : reasoning.toString(), null);
    }
}
