package io.maas.pricing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The batch price class of a version, beside its time-of-day tiers: what a request of a batch costs
 * and when the platform runs batches.
 *
 * <p><b>Price.</b> Like a {@link Tier}'s: {@code pricing} for every model not in {@code models}, a
 * multiplier of the model's base prices or absolute prices. A batch request is priced in this class
 * whatever tier is in force when it completes, and its charge shows the tier {@value #TIER}; the
 * version and the instant are still chosen by the book's deciding instant.
 *
 * <p><b>When batches run.</b> A batch that did not ask to run sooner runs only while one of the tiers
 * named in {@code runIn} is in force ({@link PriceBook#batchRunsAt}); deepseek-2026 runs them in its
 * off-peak tier. A version without a batch class ({@link #NONE}, absent in JSON) prices batch
 * requests as online ones and lets batches run at any time.
 *
 * @param runIn   the names of the schedule's tiers during which batches run
 * @param pricing what the class does to the models not in {@code models}
 * @param models  per-model pricing, by model name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BatchClass(List<String> runIn, TierPricing pricing, Map<String, TierPricing> models) {

    /** The name batch charges carry as their tier, in the ledger and on statements. */
    public static final String TIER = "batch";

    /** No batch class: batch requests are priced as online ones and batches run at any time. */
    public static final BatchClass NONE = new BatchClass(List.of(), null, Map.of());

    /** Checked against its version's tiers and models by {@link PriceBookVersion}. */
    public BatchClass {
        runIn = runIn == null ? List.of() : List.copyOf(runIn);
        models = models == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /** Whether this is {@link #NONE}: nothing said. */
    @JsonIgnore
    public boolean isNone() {
        return runIn.isEmpty() && pricing == null && models.isEmpty();
    }

    /** How {@code model} is priced in this class, if the class says. */
    Optional<TierPricing> pricingOf(String model) {
        return Optional.ofNullable(models.getOrDefault(model, pricing));
    }

    /** Leaves {@link #NONE} out of a version's JSON. */
    static final class NoneFilter {
        @Override
        public boolean equals(Object other) {
            return other == null || other instanceof BatchClass batch && batch.isNone();
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
