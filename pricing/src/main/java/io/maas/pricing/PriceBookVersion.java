package io.maas.pricing;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of a price book: the prices and tiers in force from {@code effectiveFrom} until the
 * next version's instant. Versions are never edited; a change is a new version.
 *
 * @param version       the version's id, unique in its book, shown on every charge
 * @param effectiveFrom the first instant this version applies to (inclusive)
 * @param models        base prices per model name
 * @param schedule      the time-of-day tiers
 */
public record PriceBookVersion(String version, Instant effectiveFrom, Map<String, ModelPrices> models, TierSchedule schedule) {

    public PriceBookVersion {
        if (version == null || version.isBlank()) {
            throw new InvalidPriceBookException("version", "is required (an id such as \"2026-01\")");
        }
        if (effectiveFrom == null) {
            throw new InvalidPriceBookException("effectiveFrom", "is required (an ISO-8601 instant such as \"2026-01-01T00:00:00Z\")");
        }
        if (models == null || models.isEmpty()) {
            throw new InvalidPriceBookException("models", "must price at least one model");
        }
        if (schedule == null) {
            throw new InvalidPriceBookException("schedule", "is required");
        }
        models = Collections.unmodifiableMap(new TreeMap<>(models));
        requireEveryModelPricedInEveryTier(models, schedule);
    }

    /** The base prices of {@code model}, before any tier. */
    public ModelPrices basePrices(String model) {
        ModelPrices base = models.get(model);
        if (base == null) {
            throw new IllegalArgumentException("price book version '" + version + "' has no price for model '" + model
                    + "'; it prices " + models.keySet());
        }
        return base;
    }

    /** The prices of {@code model} in {@code tier}. */
    public ModelPrices prices(String model, Tier tier) {
        ModelPrices base = basePrices(model);
        return tier.pricingOf(model).orElseThrow().apply(base);
    }

    private static void requireEveryModelPricedInEveryTier(Map<String, ModelPrices> models, TierSchedule schedule) {
        for (int t = 0; t < schedule.tiers().size(); t++) {
            Tier tier = schedule.tiers().get(t);
            String field = "schedule.tiers[" + t + "]";
            for (Map.Entry<String, TierPricing> entry : tier.models().entrySet()) {
                if (!models.containsKey(entry.getKey())) {
                    throw new InvalidPriceBookException(field + ".models." + entry.getKey(),
                            "tier '" + tier.name() + "' prices model '" + entry.getKey() + "', which has no base price in models " + models.keySet());
                }
            }
            for (Map.Entry<String, ModelPrices> model : models.entrySet()) {
                TierPricing pricing = tier.pricingOf(model.getKey()).orElseThrow(() -> new InvalidPriceBookException(field + ".models",
                        "tier '" + tier.name() + "' has no price for model '" + model.getKey() + "': add it to models or give the tier a pricing"));
                if (pricing.prices() != null && pricing.prices().currency() != model.getValue().currency()) {
                    String where = tier.models().containsKey(model.getKey()) ? ".models." + model.getKey() : ".pricing";
                    throw new InvalidPriceBookException(field + where + ".prices.currency",
                            "must be " + model.getValue().currency() + ", the currency of the model's base prices");
                }
            }
        }
    }
}
