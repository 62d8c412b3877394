package io.maas.engine.simulated;

import io.maas.api.openai.ChatMessage;
import java.util.List;

/** The simulated engine's tokenizer: the rendered conversation at {@value #CHARS_PER_TOKEN} characters a token, rounded up. */
final class PromptTokens {

    static final int CHARS_PER_TOKEN = 4;

    private PromptTokens() {
    }

    /** {@code <|role|>content} per message, the way chat templates put turns one after another. */
    static String render(List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            text.append("<|").append(message.role()).append("|>").append(message.content());
        }
        return text.toString();
    }

    static int count(String rendered) {
        return Math.max(1, (rendered.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }
}
