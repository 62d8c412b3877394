package io.maas.pricing;

/** The tokens one request used, by {@link TokenClass}. */
public record TokenUsage(long cacheHitTokens, long cacheMissTokens, long outputTokens) {

    public TokenUsage {
        requireNotNegative("cacheHitTokens", cacheHitTokens);
        requireNotNegative("cacheMissTokens", cacheMissTokens);
        requireNotNegative("outputTokens", outputTokens);
    }

    /** The tokens of one class. */
    public long tokens(TokenClass tokenClass) {
        return switch (tokenClass) {
            case INPUT_CACHE_HIT -> cacheHitTokens;
            case INPUT_CACHE_MISS -> cacheMissTokens;
            case OUTPUT -> outputTokens;
        };
    }

    private static void requireNotNegative(String field, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException(field + ": must not be negative, was " + tokens);
        }
    }
}
