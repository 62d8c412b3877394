package io.maas.pricing;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param batch         the batch price class (optional, defaults to {@link BatchClass#NONE})
 */
public record PriceBookVersion(String version, Instant effectiveFrom, Map<String, ModelPrices> models, TierSchedule schedule,
                               @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = BatchClass.NoneFilter.class)
                               BatchClass batch) {

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
        batch = batch == null ? BatchClass.NONE : batch;
        requireEveryModelPricedInEveryTier(models, schedule);
        requireBatchClassComplete(models, schedule, batch);
    }

    /** A version without a batch class. */
    public PriceBookVersion(String version, Instant effectiveFrom, Map<String, ModelPrices> models, TierSchedule schedule) {
        this(version, effectiveFrom, models, schedule, BatchClass.NONE);
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

    /** The prices of {@code model} in the batch class; only for a version that has one. */
    ModelPrices batchPrices(String model) {
        ModelPrices base = basePrices(model);
        return batch.pricingOf(model).orElseThrow().apply(base);
    }

    private static void requireBatchClassComplete(Map<String, ModelPrices> models, TierSchedule schedule, BatchClass batch) {
        if (batch.isNone()) {
            return;
        }
        if (batch.runIn().isEmpty()) {
            throw new InvalidPriceBookException("batch.runIn", "must name at least one tier in which batches run (e.g. [\"off-peak\"])");
        }
        for (int i = 0; i < batch.runIn().size(); i++) {
            String tier = batch.runIn().get(i);
            if (schedule.tiers().stream().noneMatch(t -> t.name().equals(tier))) {
                throw new InvalidPriceBookException("batch.runIn[" + i + "]", "names no tier of the schedule: '" + tier + "'");
            }
        }
        for (int t = 0; t < schedule.tiers().size(); t++) {
            if (schedule.tiers().get(t).name().equals(BatchClass.TIER)) {
                throw new InvalidPriceBookException("schedule.tiers[" + t + "].name",
                        "'" + BatchClass.TIER + "' is the batch class's name on charges; name the tier otherwise");
            }
        }
        for (String model : batch.models().keySet()) {
            if (!models.containsKey(model)) {
                throw new InvalidPriceBookException("batch.models." + model,
                        "the batch class prices model '" + model + "', which has no base price in models " + models.keySet());
            }
        }
        for (Map.Entry<String, ModelPrices> model : models.entrySet()) {
            TierPricing pricing = batch.pricingOf(model.getKey()).orElseThrow(() -> new InvalidPriceBookException("batch.models",
                    "the batch class has no price for model '" + model.getKey() + "': add it to models or give the class a pricing"));
            if (pricing.prices() != null && pricing.prices().currency() != model.getValue().currency()) {
                String where = batch.models().containsKey(model.getKey()) ? ".models." + model.getKey() : ".pricing";
                throw new InvalidPriceBookException("batch" + where + ".prices.currency",
                        "must be " + model.getValue().currency() + ", the currency of the model's base prices");
            }
        }
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
