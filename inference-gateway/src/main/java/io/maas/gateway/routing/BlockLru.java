package io.maas.gateway.routing;

import java.util.Arrays;

/**
 * A set of 64-bit block hashes with least-recently-used eviction at a fixed capacity, on primitive
 * arrays: an open-addressing table (linear probing, backward-shift deletion) pointing into a
 * doubly linked list of slots. No allocation after construction and no boxing, so a routing
 * decision that touches hundreds of blocks on dozens of endpoints stays within microseconds.
 * Not thread-safe; {@link PrefixIndex} guards it.
 */
final class BlockLru {

    private static final int NONE = -1;

    private final int capacity;
    private final long[] keys;      // per slot: the block hash
    private final int[] prev;       // per slot: towards the least recently used
    private final int[] next;       // per slot: towards the most recently used
    private final int[] table;      // open addressing: slot index, or NONE
    private final int mask;
    private int head = NONE;        // least recently used
    private int tail = NONE;        // most recently used
    private int size;

    BlockLru(int capacity) {
        this.capacity = capacity;
        this.keys = new long[capacity];
        this.prev = new int[capacity];
        this.next = new int[capacity];
        int buckets = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        this.table = new int[buckets];
        this.mask = buckets - 1;
        Arrays.fill(table, NONE);
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** A copy holding up to {@code newCapacity} keys in the same order; when smaller, the least recently used are left out. */
    BlockLru resized(int newCapacity) {
        BlockLru copy = new BlockLru(newCapacity);
        for (int slot = head; slot != NONE; slot = next[slot]) {
            copy.touch(keys[slot]);
        }
        return copy;
    }

    boolean contains(long key) {
        return table[bucketOf(key)] != NONE;
    }

    /** Makes {@code key} the most recently used, evicting the least recently used one when full. */
    void touch(long key) {
        int bucket = bucketOf(key);
        int slot = table[bucket];
        if (slot != NONE) {
            unlink(slot);
            append(slot);
            return;
        }
        if (size == capacity) {
            slot = head;
            unlink(slot);
            remove(keys[slot]);
            bucket = emptyBucketOf(key);
        } else {
            slot = size++;
        }
        keys[slot] = key;
        table[bucket] = slot;
        append(slot);
    }

    void clear() {
        Arrays.fill(table, NONE);
        head = NONE;
        tail = NONE;
        size = 0;
    }

    /** The bucket holding {@code key}, or the empty bucket where it would go. */
    private int bucketOf(long key) {
        int bucket = spread(key);
        while (table[bucket] != NONE && keys[table[bucket]] != key) {
            bucket = (bucket + 1) & mask;
        }
        return bucket;
    }

    private int emptyBucketOf(long key) {
        int bucket = spread(key);
        while (table[bucket] != NONE) {
            bucket = (bucket + 1) & mask;
        }
        return bucket;
    }

    /** Removes {@code key} from the table, shifting later entries of its probe run back (no tombstones). */
    private void remove(long key) {
        int hole = bucketOf(key);
        table[hole] = NONE;
        int bucket = (hole + 1) & mask;
        while (table[bucket] != NONE) {
            int home = spread(keys[table[bucket]]);
            boolean movable = hole <= bucket ? home <= hole || home > bucket : home <= hole && home > bucket;
            if (movable) {
                table[hole] = table[bucket];
                table[bucket] = NONE;
                hole = bucket;
            }
            bucket = (bucket + 1) & mask;
        }
    }

    private int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void unlink(int slot) {
        int p = prev[slot];
        int n = next[slot];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            prev[n] = p;
        }
    }

    private void append(int slot) {
        prev[slot] = tail;
        next[slot] = NONE;
        if (tail == NONE) {
            head = slot;
        } else {
            next[tail] = slot;
        }
        tail = slot;
    }
}
