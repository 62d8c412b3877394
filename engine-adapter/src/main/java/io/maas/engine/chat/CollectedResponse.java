package io.maas.engine.chat;

import io.maas.api.openai.Usage;
import io.maas.engine.receipt.Receipt;
import io.maas.engine.runtime.GenerationListener;

/** Collects a non-streamed completion's text, keeping the receipt's usage current meanwhile. */
final class CollectedResponse implements GenerationListener {

    private final Receipt receipt;
    private final StringBuilder text = new StringBuilder();
    private int promptTokens;
    private int cachedTokens;
    private int tokens;

    CollectedResponse(Receipt receipt) {
        this.receipt = receipt;
    }

    @Override
    public void started(int promptTokens, int cachedPromptTokens) {
        this.promptTokens = promptTokens;
        this.cachedTokens = cachedPromptTokens;
    }

    @Override
    public void token(String piece) {
        tokens++;
        text.append(piece);
        receipt.progress(Usage.of(cachedTokens, promptTokens - cachedTokens, tokens, 0));
    }

    String text() {
        return text.toString();
    }
}
