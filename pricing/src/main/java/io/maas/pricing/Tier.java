package io.maas.pricing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A named price tier ("peak", "off-peak", …): when it applies and what each model costs in it.
 *
 * <p>{@code pricing} holds what the tier does to every model not named in {@code models}; an entry
 * in {@code models} wins for its model. deepseek-2026's off-peak tier is {@code pricing} = half
 * for all models; deepseek-2025's off-peak tier names each model, since chat gets −50 % and reasoner
 * −75 %. A tier that prices every model at its base prices has {@code pricing} = multiplier 1.
 *
 * @param name    the tier's name, unique in its schedule, shown on charges
 * @param rules   when the tier applies; empty for the schedule's default tier, which applies when
 *                no other tier's rule does, and may be empty for its holiday tier
 * @param pricing what the tier does to the models not in {@code models} (optional when {@code
 *                models} names every model of the version)
 * @param models  per-model pricing, by model name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Tier(String name, List<TierRule> rules, TierPricing pricing, Map<String, TierPricing> models) {

    public Tier {
        if (name == null || name.isBlank()) {
            throw new InvalidPriceBookException("name", "is required");
        }
        rules = rules == null ? List.of() : List.copyOf(rules);
        models = models == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /** How {@code model} is priced in this tier, if the tier says. */
    Optional<TierPricing> pricingOf(String model) {
        return Optional.ofNullable(models.getOrDefault(model, pricing));
    }
}
