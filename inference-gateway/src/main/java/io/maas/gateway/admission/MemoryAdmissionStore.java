package io.maas.gateway.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@link AdmissionStore} in this process, for a single gateway replica: the rules of the interface,
 * made atomic by one lock (each step is a few map operations). Counters of past windows and
 * reservations past their lease are dropped as time goes on.
 */
@Component
@ConditionalOnProperty(name = "platform.gateway.admission.store", havingValue = "memory", matchIfMissing = true)
class MemoryAdmissionStore implements AdmissionStore {

    static final long WINDOW_MILLIS = 60_000;

    /** What a reservation holds: the window counters it added to, its concurrency scopes, its worst case. */
    private record Held(List<String> requestCounters, List<String> tokenCounters, List<String> concurrencyScopes,
                        long tokens, long expiresAt) {

        Held renewedUntil(long expiry) {
            return new Held(requestCounters, tokenCounters, concurrencyScopes, tokens, Math.max(expiresAt, expiry));
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, Map<String, Long>> active = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private long currentWindow = Long.MIN_VALUE;

    @Override
    public Decision acquire(Ask ask) {
        long window = ask.nowMillis() / WINDOW_MILLIS;
        int n = ask.scopes().size();
        lock.lock();
        try {
            forgetThePast(window, ask.nowMillis());
            if (held.containsKey(ask.requestId())) {
                throw new IllegalStateException("request " + ask.requestId() + " is already admitted");
            }
            long[] requestsUsed = new long[n];
            long[] tokensUsed = new long[n];
            for (int i = 0; i < n; i++) {
                String scope = ask.scopes().get(i).scope();
                requestsUsed[i] = counters.getOrDefault(requests(scope, window), 0L);
                tokensUsed[i] = counters.getOrDefault(tokens(scope, window), 0L);
            }
            for (int i = 0; i < n; i++) {
                ScopeLimits limits = ask.scopes().get(i);
                long inFlight = limits.maxConcurrent() == null ? 0 : inFlight(limits.scope(), ask.nowMillis(), limits.maxConcurrent());
                if (limits.requestsPerMinute() != null && requestsUsed[i] + 1 > limits.requestsPerMinute()) {
                    return Decision.refused(requestsUsed, tokensUsed, i, Limit.REQUESTS, requestsUsed[i]);
                }
                if (limits.tokensPerMinute() != null && tokensUsed[i] + ask.tokens() > limits.tokensPerMinute()) {
                    return Decision.refused(requestsUsed, tokensUsed, i, Limit.TOKENS, tokensUsed[i]);
                }
                if (limits.maxConcurrent() != null && inFlight + 1 > limits.maxConcurrent()) {
                    return Decision.refused(requestsUsed, tokensUsed, i, Limit.CONCURRENCY, inFlight);
                }
            }
            List<String> requestCounters = new ArrayList<>();
            List<String> tokenCounters = new ArrayList<>();
            List<String> concurrency = new ArrayList<>();
            long expiresAt = ask.nowMillis() + ask.leaseMillis();
            for (int i = 0; i < n; i++) {
                ScopeLimits limits = ask.scopes().get(i);
                if (limits.requestsPerMinute() != null) {
                    String counter = requests(limits.scope(), window);
                    requestsUsed[i] = counters.merge(counter, 1L, Long::sum);
                    requestCounters.add(counter);
                }
                if (limits.tokensPerMinute() != null) {
                    String counter = tokens(limits.scope(), window);
                    tokensUsed[i] = counters.merge(counter, ask.tokens(), Long::sum);
                    tokenCounters.add(counter);
                }
                if (limits.maxConcurrent() != null) {
                    active.computeIfAbsent(limits.scope(), s -> new HashMap<>()).put(ask.requestId(), expiresAt);
                    concurrency.add(limits.scope());
                }
            }
            held.put(ask.requestId(), new Held(requestCounters, tokenCounters, concurrency, ask.tokens(), expiresAt));
            return Decision.admitted(requestsUsed, tokensUsed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Decision peek(List<String> scopes, long nowMillis) {
        long window = nowMillis / WINDOW_MILLIS;
        long[] requestsUsed = new long[scopes.size()];
        long[] tokensUsed = new long[scopes.size()];
        lock.lock();
        try {
            for (int i = 0; i < scopes.size(); i++) {
                requestsUsed[i] = counters.getOrDefault(requests(scopes.get(i), window), 0L);
                tokensUsed[i] = counters.getOrDefault(tokens(scopes.get(i), window), 0L);
            }
        } finally {
            lock.unlock();
        }
        return Decision.admitted(requestsUsed, tokensUsed);
    }

    @Override
    public void settle(String requestId, long tokens, boolean countRequest) {
        lock.lock();
        try {
            Held reservation = held.remove(requestId);
            if (reservation == null) {
                return;
            }
            for (String counter : reservation.tokenCounters()) {
                counters.computeIfPresent(counter, (k, used) -> used - reservation.tokens() + tokens);
            }
            if (!countRequest) {
                for (String counter : reservation.requestCounters()) {
                    counters.computeIfPresent(counter, (k, used) -> used - 1);
                }
            }
            for (String scope : reservation.concurrencyScopes()) {
                release(scope, requestId);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void renew(List<String> requestIds, long nowMillis, long leaseMillis) {
        lock.lock();
        try {
            for (String requestId : requestIds) {
                Held reservation = held.get(requestId);
                if (reservation == null || reservation.expiresAt() <= nowMillis) {
                    continue;
                }
                Held renewed = reservation.renewedUntil(nowMillis + leaseMillis);
                held.put(requestId, renewed);
                for (String scope : renewed.concurrencyScopes()) {
                    Map<String, Long> inFlight = active.get(scope);
                    if (inFlight != null) {
                        inFlight.replace(requestId, renewed.expiresAt());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Once per window: drops counters of windows before the previous one and reservations past their
     * lease. Time only moves forward here: an ask stamped with an older instant (a request admitted a
     * moment before another one reached the lock) never forgets a newer window's counts.
     */
    private void forgetThePast(long window, long now) {
        if (window <= currentWindow) {
            return;
        }
        currentWindow = window;
        String current = ":" + window;
        String previous = ":" + (window - 1);
        counters.keySet().removeIf(k -> !k.endsWith(current) && !k.endsWith(previous));
        held.entrySet().removeIf(e -> {
            if (e.getValue().expiresAt() > now) {
                return false;
            }
            e.getValue().concurrencyScopes().forEach(scope -> release(scope, e.getKey()));
            return true;
        });
    }

    /**
     * The requests of {@code scope} in flight within their lease; counted one by one only when there are {@code max} or more
     * of them, lapsed or not (below, the limit holds either way).
     */
    private long inFlight(String scope, long now, long max) {
        Map<String, Long> requests = active.getOrDefault(scope, Map.of());
        return requests.size() < max ? requests.size() : requests.values().stream().filter(expiry -> expiry > now).count();
    }

    private void release(String scope, String requestId) {
        Map<String, Long> inFlight = active.get(scope);
        if (inFlight != null) {
            inFlight.remove(requestId);
            if (inFlight.isEmpty()) {
                active.remove(scope);
            }
        }
    }

    private static String requests(String scope, long window) {
        return scope + ":r:" + window;
    }

    private static String tokens(String scope, long window) {
        return scope + ":t:" + window;
    }
}
