package io.maas.pricing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * What one model costs in one tier: either a {@code multiplier} of the model's base prices
 * (0.5 = −50 %) or absolute {@code prices} — exactly one of the two.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TierPricing(@JsonSerialize(using = Decimals.PlainString.class) BigDecimal multiplier, ModelPrices prices) {

    public TierPricing {
        if ((multiplier == null) == (prices == null)) {
            throw new InvalidPriceBookException("multiplier", "give either a multiplier or absolute prices, not "
                    + (multiplier == null ? "neither" : "both"));
        }
        if (multiplier != null) {
            if (multiplier.signum() < 0) {
                throw new InvalidPriceBookException("multiplier", "must not be negative, was " + multiplier.toPlainString());
            }
            multiplier = Decimals.normalize(multiplier);
        }
    }

    /** A multiplier of the base prices. */
    public static TierPricing multiplier(BigDecimal multiplier) {
        return new TierPricing(multiplier, null);
    }

    /** Absolute prices, in place of the base prices. */
    public static TierPricing absolute(ModelPrices prices) {
        return new TierPricing(null, prices);
    }

    /** The prices in this tier for a model whose base prices are {@code base}. */
    ModelPrices apply(ModelPrices base) {
        return prices != null ? prices : base.times(multiplier);
    }
}
