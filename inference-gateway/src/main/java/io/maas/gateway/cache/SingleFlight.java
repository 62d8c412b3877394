package io.maas.gateway.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load per key at a time: a caller asking for a key that is being loaded waits for that load and takes its
 * value, so a cached lookup going stale under a thousand concurrent requests costs one query, not a thousand
 * (which would also empty the connection pool). A load that fails is not shared: each waiting caller then loads
 * for itself, as it would have without this, and gets its own failure. {@link #refreshAhead} loads a key in the
 * background before its cached value goes stale, so that in the steady state no caller waits for a load.
 */
public final class SingleFlight<K, V> {

    private static final Logger log = LoggerFactory.getLogger(SingleFlight.class);

    private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();
    private final Set<K> refreshing = ConcurrentHashMap.newKeySet();

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

    /**
     * Starts {@link #load} of {@code key} on a virtual thread unless this key's refresh is running: for a value still
     * fresh enough to use that is soon to go stale. A caller that needs the value meanwhile waits for that load, as for
     * any other; a failed refresh is only logged, and the next caller past the value's time loads it itself.
     */
    public void refreshAhead(K key, Supplier<V> loader) {
        if (!refreshing.add(key)) {
            return;
        }
        Thread.ofVirtual().name("refresh-ahead").start(() -> {
            try {
                load(key, loader);
            } catch (RuntimeException e) {
                log.debug("Refresh of {} failed ({}); the next caller loads it", key, e.getMessage());
            } finally {
                refreshing.remove(key);
            }
        });
    }
}
