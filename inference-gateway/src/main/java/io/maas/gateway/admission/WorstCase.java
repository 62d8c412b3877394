package io.maas.gateway.admission;

import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBook;
import io.maas.pricing.PriceClass;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The most a request can use and cost, which is what admission reserves.
 *
 * <p><b>Prompt tokens, upper bound.</b> The UTF-8 byte length of the request's {@code messages} (and
 * {@code tools}) as JSON, plus {@code platform.gateway.admission.prompt-overhead-tokens} (64). Every
 * token of a byte-level BPE vocabulary (DeepSeek, Qwen, Llama 3) or of a SentencePiece vocabulary with
 * byte fallback stands for at least one byte of text, so the text cannot make more tokens than it
 * has bytes; the JSON around each message (at least 28 bytes of {@code {"role":"","content":""}})
 * outnumbers the special tokens a chat template adds per message, and the overhead covers those it
 * adds once (BOS, the assistant prefix). The bound is loose (about 3–4 bytes per token for English
 * text) and never low.
 *
 * <p><b>Output tokens.</b> {@code max_tokens} (or {@code max_completion_tokens}), at most the model's
 * cap; the cap when the request sets none.
 *
 * <p><b>Amount.</b> Prompt bound at the higher of the cache-hit and cache-miss prices plus output cap at
 * the output price, with {@link PriceBook#maxPrices}: the highest price of every version and tier that
 * can be in force between admission and the end of the lease (for a batch's line, of the batch class). Exact (no rounding). Zero for a model
 * the tenant's book does not price (settlement records it unpriced, at zero).
 *
 * @param currency the currency of {@code amount}; "XXX" when unpriced
 */
record WorstCase(long promptTokens, long outputTokens, BigDecimal amount, String currency) {

    static final String NO_CURRENCY = "XXX";

    long tokens() {
        return promptTokens + outputTokens;
    }

    /** The worst case of {@code n} such requests. */
    WorstCase times(int n) {
        return new WorstCase(promptTokens * n, outputTokens * n, amount.multiply(BigDecimal.valueOf(n)), currency);
    }

    boolean priced() {
        return amount.signum() > 0;
    }

    static WorstCase of(long promptTokens, long outputTokens, Optional<PriceBook> book, String model, PriceClass priceClass,
                        Instant start, Instant leaseEnd) {
        Optional<ModelPrices> prices = book.flatMap(b -> {
            try {
                return Optional.of(b.maxPrices(model, start, leaseEnd, priceClass));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
        if (prices.isEmpty()) {
            return new WorstCase(promptTokens, outputTokens, BigDecimal.ZERO, NO_CURRENCY);
        }
        ModelPrices p = prices.get();
        BigDecimal amount = BigDecimal.valueOf(promptTokens).multiply(p.cacheHit().max(p.cacheMiss()))
                .add(BigDecimal.valueOf(outputTokens).multiply(p.output()))
                .movePointLeft(6);
        return new WorstCase(promptTokens, outputTokens, amount, p.currency().name());
    }
}
