package io.maas.engine.llamacpp;

import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * Hands out llama.cpp's parallel slots, one request per slot, waiting callers served in arrival
 * order, and knows which prompt each slot holds in its KV cache. Requests are pinned to the slot
 * chosen here, so llama.cpp reuses exactly the cache this class accounts for.
 *
 * <p>Prompt cache rule (llama.cpp's, with {@code cache_prompt}): the slot's cached tokens are reused
 * up to the longest common prefix with the new prompt, but at least the last prompt token is always
 * evaluated again (its logits start the generation). A slot is credited with the prompt it processed
 * only; the tokens it generated after it are not counted, so the hit count may be lower than
 * llama.cpp's, never higher. A slot whose request failed or stopped before producing a token holds
 * nothing we can rely on and is counted as empty.
 *
 * <p>Load: the KV cache holds, per slot, the prompt of its running request or the prompt it last
 * processed; tokens generated after the prompt are not counted. Prefix-cache queries are the prompt
 * tokens of every lease, hits the cached tokens it was granted.
 */
final class SlotPool {

    private static final int[] EMPTY = new int[0];

    private final Semaphore free;
    private final int[][] cached;
    private final boolean[] busy;
    private final long[] lastUsed;
    private final int contextPerSlot;
    private long clock;
    private long prefixQueries;
    private long prefixHits;

    /** A taken slot and how many of the prompt's tokens its cache serves. */
    record Lease(int slot, int[] prompt, int cachedTokens) {
    }

    /**
     * The slots' state now: in use, requests waiting for one, KV-cache share held, the KV cache's size in tokens
     * (llama.cpp's whole context, every slot's part), prefix-cache counters.
     */
    record Load(int busy, int waiting, double kvCacheUsage, long kvCacheTokens, long prefixQueries, long prefixHits) {
    }

    SlotPool(int slots, int contextPerSlot) {
        this.contextPerSlot = contextPerSlot;
        free = new Semaphore(slots, true);
        cached = new int[slots][];
        busy = new boolean[slots];
        lastUsed = new long[slots];
        Arrays.fill(cached, EMPTY);
    }

    /** The free slot sharing the longest prefix with {@code prompt} (the least recently used among equals). */
    Lease acquire(int[] prompt) throws InterruptedException {
        free.acquire();
        synchronized (this) {
            int best = -1;
            int bestPrefix = -1;
            for (int slot = 0; slot < busy.length; slot++) {
                if (busy[slot]) {
                    continue;
                }
                int prefix = commonPrefix(cached[slot], prompt);
                if (prefix > bestPrefix || prefix == bestPrefix && lastUsed[slot] < lastUsed[best]) {
                    best = slot;
                    bestPrefix = prefix;
                }
            }
            busy[best] = true;
            cached[best] = prompt;
            lastUsed[best] = ++clock;
            int cachedTokens = Math.max(0, Math.min(bestPrefix, prompt.length - 1));
            prefixQueries += prompt.length;
            prefixHits += cachedTokens;
            return new Lease(best, prompt, cachedTokens);
        }
    }

    /** Gives the slot back; {@code promptProcessed} says whether its cache now holds the lease's prompt. */
    void release(Lease lease, boolean promptProcessed) {
        synchronized (this) {
            cached[lease.slot()] = promptProcessed ? lease.prompt() : EMPTY;
            busy[lease.slot()] = false;
        }
        free.release();
    }

    synchronized Load load() {
        int inUse = 0;
        long held = 0;
        for (int slot = 0; slot < busy.length; slot++) {
            inUse += busy[slot] ? 1 : 0;
            held += Math.min(cached[slot].length, contextPerSlot);
        }
        long capacity = (long) contextPerSlot * busy.length;
        return new Load(inUse, free.getQueueLength(), capacity == 0 ? 0 : (double) held / capacity, capacity, prefixQueries,
                prefixHits);
    }

    static int commonPrefix(int[] a, int[] b) {
        int mismatch = Arrays.mismatch(a, b);
        return mismatch < 0 ? a.length : mismatch;
    }
}
