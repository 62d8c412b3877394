package io.maas.pricing;

import static io.maas.pricing.TestBooks.MODEL;
import static io.maas.pricing.TestBooks.cny;
import static io.maas.pricing.TestBooks.everyDay;
import static io.maas.pricing.TestBooks.tier;
import static io.maas.pricing.TestBooks.version;
import static io.maas.pricing.TestBooks.window;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ValidationTests {

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(ThrowingCallable building) {
        return assertThatThrownBy(building).isInstanceOf(InvalidPriceBookException.class).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativePrices() {
        assertInvalid(() -> cny("0.5", "-0.01", "8")).hasMessage("cacheMiss: must not be negative, was -0.01");
        assertInvalid(() -> TierPricing.multiplier(new BigDecimal("-1"))).hasMessage("multiplier: must not be negative, was -1");
        assertInvalid(() -> new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, null)).hasMessageStartingWith("currency: is required");
    }

    @Test
    void emptyRulesAndOverlappingWindows() {
        assertInvalid(() -> new TierRule(EnumSet.of(DayOfWeek.MONDAY), List.of())).hasMessageStartingWith("windows: must have at least one");
        assertInvalid(() -> new TierRule(Set.of(), List.of(window("09:00", "12:00")))).hasMessageStartingWith("days: must name at least one day");
        assertInvalid(() -> version("v", "2026-01-01T00:00:00Z", cny("1", "1", "1"), "UTC", "day",
                tier("lunch", "0.5", everyDay(window("11:00", "13:00"))),
                tier("afternoon", "0.8", everyDay(window("12:59", "18:00")))))
                .hasMessage("tiers[2].rules[0].windows[0]: window 12:59–18:00 opening on MONDAY overlaps tiers[1].rules[0].windows[0] opening on MONDAY");
    }

    @Test
    void aWindowWrappingMidnightOverlapsTheNextDaysWindow() {
        TierRule fridayNight = new TierRule(EnumSet.of(DayOfWeek.FRIDAY), List.of(window("22:00", "02:00")));
        TierRule saturdayEarly = new TierRule(EnumSet.of(DayOfWeek.SATURDAY), List.of(window("01:00", "03:00")));
        TierRule sundayNight = new TierRule(EnumSet.of(DayOfWeek.SUNDAY), List.of(window("23:00", "01:00")));
        TierRule mondayEarly = new TierRule(EnumSet.of(DayOfWeek.MONDAY), List.of(window("00:30", "02:00")));

        assertInvalid(() -> new TierSchedule(ZoneId.of("UTC"), "day", null,
                List.of(tier("day", "1"), new Tier("night", List.of(fridayNight, saturdayEarly), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null))
                .hasMessageContaining("opening on SATURDAY overlaps tiers[1].rules[0].windows[0] opening on FRIDAY");
        assertInvalid(() -> new TierSchedule(ZoneId.of("UTC"), "day", null,
                List.of(tier("day", "1"), new Tier("night", List.of(sundayNight, mondayEarly), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null))
                .hasMessageContaining("opening on MONDAY overlaps tiers[1].rules[0].windows[0] opening on SUNDAY");
    }

    @Test
    void tiersMustBeConsistent() {
        assertInvalid(() -> new TierSchedule(ZoneId.of("UTC"), "peak", null, List.of(tier("day", "1")), null))
                .hasMessage("defaultTier: must name one of the tiers [day], was 'peak'");
        assertInvalid(() -> new TierSchedule(ZoneId.of("UTC"), "day", "holiday", List.of(tier("day", "1")), null))
                .hasMessageStartingWith("holidayTier: must name one of the tiers");
        assertInvalid(() -> new TierSchedule(ZoneId.of("UTC"), "day", null, List.of(tier("day", "1"), tier("night", "1")), null))
                .hasMessageStartingWith("tiers[1].rules: tier 'night' never applies");
        assertInvalid(() -> new TierSchedule(ZoneId.of("UTC"), "day", null, List.of(tier("day", "1", everyDay(window("00:00", "01:00")))), null))
                .hasMessageStartingWith("tiers[0].rules: the default tier 'day' applies whenever no rule does");
        assertInvalid(() -> new TierSchedule(null, "day", null, List.of(tier("day", "1")), null)).hasMessageStartingWith("timezone: is required");
    }

    @Test
    void everyModelNeedsABasePriceAndAPriceInEveryTier() {
        Tier onlyOtherModel = new Tier("night", List.of(everyDay(window("22:00", "06:00"))), null,
                Map.of("other", TierPricing.multiplier(BigDecimal.ONE)));
        Tier noPricing = new Tier("night", List.of(everyDay(window("22:00", "06:00"))), null, Map.of());
        Tier dollars = new Tier("night", List.of(everyDay(window("22:00", "06:00"))), null,
                Map.of(MODEL, TierPricing.absolute(new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, Currency.USD))));

        assertInvalid(() -> version("v", "2026-01-01T00:00:00Z", cny("1", "1", "1"), "UTC", "day", onlyOtherModel))
                .hasMessageStartingWith("schedule.tiers[1].models.other: tier 'night' prices model 'other', which has no base price");
        assertInvalid(() -> version("v", "2026-01-01T00:00:00Z", cny("1", "1", "1"), "UTC", "day", noPricing))
                .hasMessageStartingWith("schedule.tiers[1].models: tier 'night' has no price for model 'm'");
        assertInvalid(() -> version("v", "2026-01-01T00:00:00Z", cny("1", "1", "1"), "UTC", "day", dollars))
                .hasMessage("schedule.tiers[1].models.m.prices.currency: must be CNY, the currency of the model's base prices");
        assertInvalid(() -> new TierPricing(BigDecimal.ONE, cny("1", "1", "1")))
                .hasMessage("multiplier: give either a multiplier or absolute prices, not both");
    }

    @Test
    void aModelKeepsItsCurrencyAcrossVersions() {
        PriceBookVersion inYuan = version("v1", "2026-01-01T00:00:00Z", cny("1", "1", "1"), "UTC", "day");
        PriceBookVersion inDollars = version("v2", "2026-02-01T00:00:00Z",
                new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, Currency.USD), "UTC", "day");

        assertInvalid(() -> new PriceBook("book", null, List.of(inYuan, inDollars)))
                .hasMessageStartingWith("versions[1].models.m.currency: was CNY in an earlier version");
        assertInvalid(() -> PriceBook.of("book", null, inYuan).withVersion(inDollars, Instant.parse("2026-01-15T00:00:00Z")))
                .hasMessageStartingWith("versions[1].models.m.currency");
    }
}
