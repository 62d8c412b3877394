package io.maas.gateway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cached values soon to go stale, read again in the background, many in one query: a cache {@linkplain #sweep sweeps}
 * its entries every so often, forgetting those unused for {@value #KEEP_WARM_MINUTES} minutes and asking for the keys
 * of those still fresh enough to use but due (half of their time left: a second of the usual two), and one virtual
 * thread reads every key asked for within {@link #LINGER} (at most {@value #MAX_BATCH} at a time) with {@code read},
 * which puts the values in the cache. So the limits or price books of two thousand tenants cost a few queries a second,
 * not one per tenant and request, and no request waits for them. A key is read once however often it is asked for
 * until its read ends. A failed read is only logged: its values go stale, and the next caller past their time reads
 * its own, as without this.
 */
public final class BatchedRefresh<K> {

    /** How long the caches keep an entry warm after its last use. */
    public static final long KEEP_WARM_MINUTES = 5;
    private static final int MAX_BATCH = 1_000;
    private static final Duration LINGER = Duration.ofMillis(50);
    private static final Logger log = LoggerFactory.getLogger(BatchedRefresh.class);

    private final String name;
    private final Consumer<List<K>> read;
    private final Set<K> asked = ConcurrentHashMap.newKeySet();
    private final Queue<K> due = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean();

    /** {@code read} reads the keys it is given and caches their values; {@code name} names its thread. */
    public BatchedRefresh(String name, Consumer<List<K>> read) {
        this.name = name;
        this.read = read;
    }

    /** Has {@code key} read again within {@link #LINGER} plus a read; returns at once. */
    void ask(K key) {
        if (asked.add(key)) {
            due.add(key);
            if (reading.compareAndSet(false, true)) {
                Thread.ofVirtual().name(name + "-refresh").start(this::readWhileDue);
            }
        }
    }

    /**
     * Goes through {@code cache}: forgets the entries that {@code unused} says are no longer used, and asks for the keys
     * of those that {@code due} says are due to be read again.
     */
    public <V> void sweep(Map<K, V> cache, Predicate<V> unused, Predicate<V> due) {
        cache.forEach((key, value) -> {
            if (unused.test(value)) {
                cache.remove(key, value);
            } else if (due.test(value)) {
                ask(key);
            }
        });
    }

    private void readWhileDue() {
        do {
            try {
                Thread.sleep(LINGER); // keys coming due meanwhile share the query
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (List<K> batch = next(); !batch.isEmpty(); batch = next()) {
                try {
                    read.accept(batch);
                } catch (RuntimeException e) {
                    log.debug("{} of {} keys not read again ({}); each is read by its next caller past its time", name, batch.size(),
                            e.getMessage());
                } finally {
                    batch.forEach(asked::remove);
                }
            }
            reading.set(false);
        } while (!due.isEmpty() && reading.compareAndSet(false, true)); // asked for after the last poll, before the flag went down
    }

    private List<K> next() {
        List<K> batch = new ArrayList<>();
        for (K key; batch.size() < MAX_BATCH && (key = due.poll()) != null; ) {
            batch.add(key);
        }
        return batch;
    }
}
