package io.maas.engine.chat;

import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.ToolCall;
import io.maas.api.openai.Usage;
import io.maas.engine.receipt.Receipt;
import io.maas.engine.runtime.GenerationListener;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a non-streamed completion's text, chain of thought and function calls (their pieces joined), keeping the
 * receipt's usage current meanwhile.
 */
final class CollectedResponse implements GenerationListener {

    private final Receipt receipt;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
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

    @Override
    public void toolCall(int index, String id, String name, String arguments) {
        Call call = calls.computeIfAbsent(index, i -> new Call(id, name, new StringBuilder()));
        if (arguments != null) {
            call.arguments().append(arguments);
        }
    }

    private record Call(String id, String name, StringBuilder arguments) {
    }

    /**
     * The answer message: the text (null when the model only called functions, as OpenAI sends it), the chain of
     * thought when the model produced one, and its function calls.
     */
    ChatMessage message() {
        List<ToolCall> made = calls.values().stream().map(c -> ToolCall.of(c.id(), c.name(), c.arguments().toString())).toList();
        return new ChatMessage("assistant", made.isEmpty() || !text.isEmpty() ? text.toString() : null,
                reasoningTokens == 0 ? null : reasoning.toString(), null, made.isEmpty() ? null : made, null);
    }

    /** The text generated, for a FIM completion. */
    String text() {
        return text.toString();
    }
}
