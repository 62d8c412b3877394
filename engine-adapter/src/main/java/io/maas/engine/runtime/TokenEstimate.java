package io.maas.engine.runtime;

import io.maas.api.openai.ChatMessage;
import java.util.List;

/**
 * A tokenizer-free estimate of prompt tokens: the rendered conversation at {@value #CHARS_PER_TOKEN}
 * characters a token, rounded up. Used where no tokenizer is at hand: by the simulated engine as its
 * count, and for an external engine until it reports its own count at the end of the stream.
 */
public final class TokenEstimate {

    public static final int CHARS_PER_TOKEN = 4;

    private TokenEstimate() {
    }

    /** {@code <|role|>content} per message, the way chat templates put turns one after another. */
    public static String render(List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            text.append("<|").append(message.role()).append("|>").append(message.content());
        }
        return text.toString();
    }

    public static int count(String rendered) {
        return Math.max(1, (rendered.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }
}
