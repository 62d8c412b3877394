package io.maas.pricing;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** Small price books for tests, built in code. */
final class TestBooks {

    static final String MODEL = "m";

    private TestBooks() {
    }

    static ModelPrices cny(String cacheHit, String cacheMiss, String output) {
        return new ModelPrices(new BigDecimal(cacheHit), new BigDecimal(cacheMiss), new BigDecimal(output), Currency.CNY);
    }

    static TimeWindow window(String start, String end) {
        return new TimeWindow(LocalTime.parse(start), LocalTime.parse(end));
    }

    static TierRule everyDay(TimeWindow... windows) {
        return new TierRule(EnumSet.allOf(DayOfWeek.class), List.of(windows));
    }

    static Tier tier(String name, String multiplier, TierRule... rules) {
        return new Tier(name, List.of(rules), TierPricing.multiplier(new BigDecimal(multiplier)), Map.of());
    }

    /** One model {@link #MODEL} at {@code base}, tier {@code defaultTier} ×1 plus {@code others}. */
    static PriceBookVersion version(String id, String effectiveFrom, ModelPrices base, String zone, String defaultTier, Tier... others) {
        List<Tier> tiers = new ArrayList<>(List.of(tier(defaultTier, "1")));
        tiers.addAll(List.of(others));
        return new PriceBookVersion(id, Instant.parse(effectiveFrom), Map.of(MODEL, base),
                new TierSchedule(ZoneId.of(zone), defaultTier, null, tiers, null));
    }

    static TokenUsage usage(long cacheHit, long cacheMiss, long output) {
        return new TokenUsage(cacheHit, cacheMiss, output);
    }
}
