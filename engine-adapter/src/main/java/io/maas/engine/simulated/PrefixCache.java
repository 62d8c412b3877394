package io.maas.engine.simulated;

import io.maas.engine.runtime.TokenEstimate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated prefix cache in the manner of vLLM's automatic prefix caching: the prompt is cut into
 * blocks of {@link #BLOCK_TOKENS} tokens, each block named by a hash of itself and every block
 * before it, and a prompt's leading blocks already seen are hits. Blocks are kept in LRU order up
 * to a capacity; a prompt's blocks are used last block first, so that its tail is evicted before
 * its head (as vLLM frees a request's blocks) and what stays is a usable prefix. Tokens are
 * estimated as {@link TokenEstimate#CHARS_PER_TOKEN} characters each.
 */
final class PrefixCache {

    static final int BLOCK_TOKENS = 16;
    private static final int BLOCK_CHARS = BLOCK_TOKENS * TokenEstimate.CHARS_PER_TOKEN;

    private final int capacity;
    private final Map<Long, Boolean> blocks;

    PrefixCache(int capacityBlocks) {
        this.capacity = capacityBlocks;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The tokens of {@code prompt} found in the cache, at most {@code promptTokens - 1} (the last
     * prompt token is always computed again); the prompt's full blocks are cached from now on.
     */
    synchronized int lookupAndStore(String prompt, int promptTokens) {
        long[] hashes = new long[prompt.length() / BLOCK_CHARS];
        long hash = 17;
        int hits = 0;
        for (int block = 0; block < hashes.length; block++) {
            int start = block * BLOCK_CHARS;
            hash = 31 * hash + prompt.substring(start, start + BLOCK_CHARS).hashCode();
            hashes[block] = hash;
            if (hits == block && blocks.containsKey(hash)) {
                hits++;
            }
        }
        if (capacity > 0) {
            for (int block = hashes.length - 1; block >= 0; block--) {
                blocks.put(hashes[block], Boolean.TRUE);
            }
        }
        return Math.max(0, Math.min(hits * BLOCK_TOKENS, promptTokens - 1));
    }
}
