package io.maas.engine.runtime;

import io.maas.api.openai.ChatMessage;
import java.util.List;

/**
 * One chat generation in portable terms. Null options mean the engine's defaults; {@code maxTokens}
 * null means "the configured default, or what is left of the context if that is less".
 * {@code bannedTokenIds} are never sampled (OpenAI's {@code logit_bias} of -100). {@code options} are the chat
 * options beyond sampling ({@link ChatOptions#NONE}: none); {@code infill}, when present, makes it a fill-in-the-middle
 * generation instead of a chat (its {@code messages} are then empty).
 */
public record GenerationRequest(
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        Long seed,
        List<Integer> bannedTokenIds,
        ChatOptions options,
        Infill infill) {

    /** A plain chat generation. */
    public GenerationRequest(List<ChatMessage> messages, Integer maxTokens, Double temperature, Double topP, List<String> stop,
                             Long seed, List<Integer> bannedTokenIds) {
        this(messages, maxTokens, temperature, topP, stop, seed, bannedTokenIds, ChatOptions.NONE, Infill.NONE);
    }

    public GenerationRequest {
        messages = List.copyOf(messages);
        options = options == null ? ChatOptions.NONE : options;
        infill = infill == null ? Infill.NONE : infill;
        stop = stop == null ? List.of() : List.copyOf(stop);
        bannedTokenIds = bannedTokenIds == null ? List.of() : List.copyOf(bannedTokenIds);
    }
}
