package io.maas.pricing;

import java.math.BigDecimal;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The prices of one model per million tokens of each {@link TokenClass}, in one currency.
 * Prices are exact decimals and may be zero, never negative.
 */
public record ModelPrices(
        @JsonSerialize(using = Decimals.PlainString.class) BigDecimal cacheHit,
        @JsonSerialize(using = Decimals.PlainString.class) BigDecimal cacheMiss,
        @JsonSerialize(using = Decimals.PlainString.class) BigDecimal output,
        Currency currency) {

    public ModelPrices {
        cacheHit = price("cacheHit", cacheHit);
        cacheMiss = price("cacheMiss", cacheMiss);
        output = price("output", output);
        if (currency == null) {
            throw new InvalidPriceBookException("currency", "is required (CNY or USD)");
        }
    }

    /** The price per million tokens of one class. */
    public BigDecimal perMillion(TokenClass tokenClass) {
        return switch (tokenClass) {
            case INPUT_CACHE_HIT -> cacheHit;
            case INPUT_CACHE_MISS -> cacheMiss;
            case OUTPUT -> output;
        };
    }

    /** Every price multiplied by {@code multiplier}, exactly (0.5 × ¥0.04 = ¥0.02). */
    public ModelPrices times(BigDecimal multiplier) {
        return new ModelPrices(cacheHit.multiply(multiplier), cacheMiss.multiply(multiplier), output.multiply(multiplier), currency);
    }

    /** The higher price of each token class; both must be in the same currency. */
    public ModelPrices max(ModelPrices other) {
        if (other.currency != currency) {
            throw new IllegalArgumentException("cannot compare prices in " + currency + " and " + other.currency);
        }
        return new ModelPrices(cacheHit.max(other.cacheHit), cacheMiss.max(other.cacheMiss), output.max(other.output), currency);
    }

    private static BigDecimal price(String field, BigDecimal price) {
        if (price == null) {
            throw new InvalidPriceBookException(field, "is required (price per million tokens)");
        }
        if (price.signum() < 0) {
            throw new InvalidPriceBookException(field, "must not be negative, was " + price.toPlainString());
        }
        return Decimals.normalize(price);
    }
}
