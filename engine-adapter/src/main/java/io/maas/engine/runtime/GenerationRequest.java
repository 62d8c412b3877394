package io.maas.engine.runtime;

import io.maas.api.openai.ChatMessage;
import java.util.List;

/**
 * One chat generation in portable terms. Null options mean the engine's defaults; {@code maxTokens}
 * null means "the configured default, or what is left of the context if that is less".
 * {@code bannedTokenIds} are never sampled (OpenAI's {@code logit_bias} of -100).
 */
public record GenerationRequest(
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        Long seed,
        List<Integer> bannedTokenIds) {

    public GenerationRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        bannedTokenIds = bannedTokenIds == null ? List.of() : List.copyOf(bannedTokenIds);
    }
}
