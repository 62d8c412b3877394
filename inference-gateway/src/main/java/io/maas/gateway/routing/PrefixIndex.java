package io.maas.gateway.routing;

/**
 * The prompt blocks the gateway sent to one endpoint, least recently sent evicted first, up to the
 * engine's KV capacity ({@link #resize}d when the engine reports it): what that engine most likely
 * still holds in its prefix cache.
 *
 * <p>A prompt's blocks are remembered last block first, so that its leading blocks are the most
 * recent and eviction takes a prompt's tail before its head (as vLLM frees a request's blocks). The
 * blocks present are then always a leading run of each prompt (a chained hash names its whole
 * prefix), so {@link #matched} finds that run by binary search: {@code log2(blocks)} probes instead of
 * one per block, about 8 for a 4k-token prompt.
 */
final class PrefixIndex {

    private BlockLru blocks;

    PrefixIndex(int capacity) {
        this.blocks = new BlockLru(capacity);
    }

    synchronized int capacity() {
        return blocks.capacity();
    }

    /** Holds up to {@code capacity} blocks from now on, keeping the most recent ones; nothing happens when that is the size already. */
    synchronized void resize(int capacity) {
        if (capacity != blocks.capacity()) {
            blocks = blocks.resized(capacity);
        }
    }

    /** Leading blocks of {@code prompt} this endpoint likely holds; does not refresh them. */
    synchronized int matched(PromptBlocks prompt) {
        long[] hashes = prompt.hashes();
        int low = 0;
        int high = hashes.length;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (blocks.contains(hashes[mid - 1])) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The engine is about to compute (or reuse) every block of {@code prompt}: remember them as the most recent. */
    synchronized void sent(PromptBlocks prompt) {
        long[] hashes = prompt.hashes();
        for (int i = hashes.length - 1; i >= 0; i--) {
            blocks.touch(hashes[i]);
        }
    }

    synchronized int size() {
        return blocks.size();
    }

    synchronized void clear() {
        blocks.clear();
    }
}
