package io.maas.gateway.routing;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this gateway knows of one engine endpoint: its health, the engine's own load as last read,
 * the requests this gateway has in flight there (counted the moment one is routed, so that a burst
 * does not all land on the endpoint that looked idle), and the prompt blocks sent there.
 *
 * <p>Health rules: a refused connection, a 5xx or a broken stream ejects the endpoint at once
 * ({@link #fault}); it is back after two good {@code /health} probes in a row. An endpoint that
 * drains (503 on new work, or {@code draining} in its status) is out without a fault and back as soon
 * as its status says {@code ready}. Each gateway replica keeps its own view; nothing here is shared.
 */
public final class Endpoint {

    static final int GOOD_PROBES_TO_RETURN = 2;

    private final URI uri;
    private final int maxPrefixBlocks;
    private final PrefixIndex prefixes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean ejected;
    private volatile boolean refusing;
    private volatile int goodProbes;
    private volatile Load load = Load.UNKNOWN;

    /** The engine's numbers from {@code /engine/status}, and when they were read (nanoTime). */
    record Load(int running, int waiting, double kvCacheUsage, long readAtNanos) {
        static final Load UNKNOWN = new Load(0, 0, 0, Long.MIN_VALUE);
    }

    /** {@code maxPrefixBlocks}: the prefix index's size until the engine reports its KV capacity, and its cap after. */
    Endpoint(URI uri, int maxPrefixBlocks) {
        this.uri = uri;
        this.maxPrefixBlocks = maxPrefixBlocks;
        this.prefixes = new PrefixIndex(maxPrefixBlocks);
    }

    public URI uri() {
        return uri;
    }

    /** Whether new requests may be sent here. */
    public boolean available() {
        return !ejected && !refusing;
    }

    public boolean ejected() {
        return ejected;
    }

    /** Ejected for a fault but not refusing work: tried when a route has no available endpoint left. */
    boolean lastResort() {
        return ejected && !refusing;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Refusing new work (draining, or its queue full) until its status says ready. */
    boolean refusingWork() {
        return refusing;
    }

    /** The engine's load as last read; {@code readAtNanos} {@link Long#MIN_VALUE} when never. */
    Load lastLoad() {
        return load;
    }

    PrefixIndex prefixes() {
        return prefixes;
    }

    /**
     * The load a picker compares: the engine's running + waiting while fresh, never less than this
     * gateway's own in-flight count (which the engine's numbers, read up to a poll ago, may not show yet).
     */
    int load(long nowNanos, long staleAfterNanos) {
        Load last = load;
        int own = inFlight.get();
        return nowNanos - last.readAtNanos() <= staleAfterNanos ? Math.max(own, last.running() + last.waiting()) : own;
    }

    double kvCacheUsage(long nowNanos, long staleAfterNanos) {
        Load last = load;
        return nowNanos - last.readAtNanos() <= staleAfterNanos ? last.kvCacheUsage() : 0;
    }

    /** Counts one more request in flight here, unless {@code max} already are; false then. */
    boolean tryRoute(int max) {
        int now;
        do {
            now = inFlight.get();
            if (now >= max) {
                return false;
            }
        } while (!inFlight.compareAndSet(now, now + 1));
        return true;
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /**
     * A refused connection, a 5xx or a broken stream: out at once, back after two good probes. What it
     * held in its prefix cache is forgotten: an engine that failed has likely restarted without it.
     */
    void fault() {
        goodProbes = 0;
        ejected = true;
        prefixes.clear();
    }

    /** 503 on new work (draining, or its queue full): out without a fault until its status says ready. */
    void refusing() {
        refusing = true;
    }

    /** One {@code /health} probe: 200 counts towards return; 503 is a drain, anything else a fault. */
    void probed(int status) {
        if (status == 200) {
            if (ejected && ++goodProbes >= GOOD_PROBES_TO_RETURN) {
                ejected = false;
            }
        } else if (status == 503) {
            refusing = true;
        } else {
            fault();
        }
    }

    /**
     * A status read: the engine's load, whether it takes new work, and its KV capacity in tokens (0 when
     * unknown). The prefix index is sized to that capacity, in blocks of {@value PromptBlocks#BLOCK_TOKENS}
     * tokens, capped at {@code maxPrefixBlocks}: an engine cannot hold more prefixes than its KV cache, so
     * remembering more would send requests to an endpoint for blocks it already evicted.
     */
    void status(String state, int running, int waiting, double kvCacheUsage, long kvCacheTokens, long nowNanos) {
        load = new Load(running, waiting, kvCacheUsage, nowNanos);
        refusing = !"ready".equals(state);
        if (kvCacheTokens > 0) {
            prefixes.resize(Math.clamp(kvCacheTokens / PromptBlocks.BLOCK_TOKENS, 1, maxPrefixBlocks));
        }
    }

    /** Prompt blocks the prefix index remembers at most now. */
    public int prefixCapacity() {
        return prefixes.capacity();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
