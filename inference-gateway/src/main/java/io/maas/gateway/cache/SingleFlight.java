package io.maas.gateway.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One load per key at a time: a caller asking for a key that is being loaded waits for that load and takes its
 * value, so a cached lookup going stale under a thousand concurrent requests costs one query, not a thousand
 * (which would also empty the connection pool). A load that fails is not shared: each waiting caller then loads
 * for itself, as it would have without this, and gets its own failure. {@link BatchedRefresh} reads values in the
 * background before they go stale, so that in the steady state no caller waits for a load.
 */
public final class SingleFlight<K, V> {

    private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    /** The value {@code loader} gives for {@code key}, loaded by this caller or by the one already loading it. */
    public V load(K key, Supplier<V> loader) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException failed) {
                return loader.get();
            }
        }
        try {
            V value = loader.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }
}
