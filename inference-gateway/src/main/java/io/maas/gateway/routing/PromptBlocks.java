package io.maas.gateway.routing;

import io.maas.api.openai.ChatMessage;
import java.util.List;

/**
 * A prompt cut into blocks and hashed as a chain, the way engines with automatic prefix caching name
 * their KV blocks: block {@code i}'s hash covers block {@code i} and every block before it, so two
 * prompts that share a prefix share their first hashes and no others.
 *
 * <p>The prompt is the messages as the engine sees them ({@code <|role|>content} per message,
 * {@code developer} as {@code system}) at {@value #CHARS_PER_TOKEN} characters a token, in blocks of
 * {@value #BLOCK_TOKENS} tokens; a trailing partial block is not cached by an engine and is left out.
 * The hashes are 64-bit (FNV-1a over the characters, chained), so a collision is negligible.
 */
public record PromptBlocks(long[] hashes) {

    public static final int BLOCK_TOKENS = 16;
    static final int CHARS_PER_TOKEN = 4;
    private static final int BLOCK_CHARS = BLOCK_TOKENS * CHARS_PER_TOKEN;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    public static final PromptBlocks NONE = new PromptBlocks(new long[0]);

    public static PromptBlocks of(List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            String role = "developer".equals(message.role()) ? "system" : message.role();
            text.append("<|").append(role).append("|>").append(message.content() == null ? "" : message.content());
        }
        return of(text);
    }

    static PromptBlocks of(CharSequence prompt) {
        long[] hashes = new long[prompt.length() / BLOCK_CHARS];
        long hash = FNV_OFFSET;
        for (int block = 0; block < hashes.length; block++) {
            for (int i = block * BLOCK_CHARS, end = i + BLOCK_CHARS; i < end; i++) {
                hash = (hash ^ prompt.charAt(i)) * FNV_PRIME;
            }
            hashes[block] = hash;
        }
        return new PromptBlocks(hashes);
    }

    public int size() {
        return hashes.length;
    }
}
