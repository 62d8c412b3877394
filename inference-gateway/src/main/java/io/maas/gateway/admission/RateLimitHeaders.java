package io.maas.gateway.admission;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code x-ratelimit-*} headers from a store decision: for requests and for tokens per
 * minute, the limit of the scope with the least remaining (the one that will refuse first), what
 * remains of it in the current window, and when the window resets ({@code "17s"}). Only the kinds
 * that some binding policy limits are sent.
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static Map<String, String> of(List<LimitPolicy> policies, AdmissionStore.Decision decision, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        String reset = secondsToWindowEnd(now) + "s";
        long requestsLimit = -1;
        long requestsLeft = Long.MAX_VALUE;
        long tokensLimit = -1;
        long tokensLeft = Long.MAX_VALUE;
        for (int i = 0; i < policies.size(); i++) {
            LimitPolicy policy = policies.get(i);
            if (policy.requestsPerMinute() != null) {
                long left = Math.max(0, policy.requestsPerMinute() - decision.requestsUsed()[i]);
                if (left < requestsLeft) {
                    requestsLeft = left;
                    requestsLimit = policy.requestsPerMinute();
                }
            }
            if (policy.tokensPerMinute() != null) {
                long left = Math.max(0, policy.tokensPerMinute() - decision.tokensUsed()[i]);
                if (left < tokensLeft) {
                    tokensLeft = left;
                    tokensLimit = policy.tokensPerMinute();
                }
            }
        }
        if (requestsLimit >= 0) {
            headers.put("x-ratelimit-limit-requests", Long.toString(requestsLimit));
            headers.put("x-ratelimit-remaining-requests", Long.toString(requestsLeft));
            headers.put("x-ratelimit-reset-requests", reset);
        }
        if (tokensLimit >= 0) {
            headers.put("x-ratelimit-limit-tokens", Long.toString(tokensLimit));
            headers.put("x-ratelimit-remaining-tokens", Long.toString(tokensLeft));
            headers.put("x-ratelimit-reset-tokens", reset);
        }
        return headers;
    }

    /** Seconds until the current one-minute window ends, at least 1. */
    static long secondsToWindowEnd(Instant now) {
        long millis = MemoryAdmissionStore.WINDOW_MILLIS - Math.floorMod(now.toEpochMilli(), MemoryAdmissionStore.WINDOW_MILLIS);
        return Math.max(1, (millis + 999) / 1000);
    }
}
