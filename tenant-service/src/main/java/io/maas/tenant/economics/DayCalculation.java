package io.maas.tenant.economics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The economics of one deployment's day from its replica spans and its billed revenue; the only place
 * these numbers are computed.
 *
 * <p>Rounding: accelerator-hours are exact to the millisecond, then rounded half-even to 4 decimals;
 * cost is the rounded hours times the hourly cost, rounded half-even to 0.01; revenue is the ledger's
 * exact sum; shares are rounded half-even to 4 decimals and the margin to 0.1 %.
 */
public final class DayCalculation {

    /** The tier whose revenue counts as off-peak (the name the price-book templates use). */
    static final String OFF_PEAK = "off-peak";

    private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000);

    private DayCalculation() {
    }

    /** A replica from READY until it stopped (or now, while it runs), with the accelerators it holds. */
    public record Span(Instant readyAt, Instant until, int accelerators) {
    }

    /** What a deployment billed in one tier and currency of the day (a row of {@code deployment_daily}). */
    public record Revenue(String tier, String currency, long requests, long cacheHitTokens, long cacheMissTokens, long outputTokens,
            BigDecimal amount) {
    }

    /** The hourly cost of one accelerator; null amount and currency when the deployment has none. */
    public record Rate(BigDecimal amount, String currency) {
    }

    public static DeploymentDay of(UUID deploymentId, String name, UUID tenantId, String model, LocalDate day, List<Span> spans, Rate rate,
            List<Revenue> revenue) {
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        BigDecimal acceleratorMillis = BigDecimal.ZERO;
        for (Span span : spans) {
            Instant from = span.readyAt().isAfter(start) ? span.readyAt() : start;
            Instant to = span.until().isBefore(end) ? span.until() : end;
            if (to.isAfter(from)) {
                acceleratorMillis = acceleratorMillis.add(BigDecimal.valueOf(Duration.between(from, to).toMillis() * span.accelerators()));
            }
        }
        BigDecimal hours = acceleratorMillis.divide(MILLIS_PER_HOUR, 4, RoundingMode.HALF_EVEN);
        BigDecimal cost = rate.amount() == null ? null : hours.multiply(rate.amount()).setScale(2, RoundingMode.HALF_EVEN);

        Set<String> currencies = revenue.stream().map(Revenue::currency).collect(Collectors.toSet());
        String revenueCurrency = currencies.size() == 1 ? currencies.iterator().next() : null;
        BigDecimal billed = revenue.stream().map(Revenue::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal offPeak = revenue.stream().filter(r -> r.tier().equals(OFF_PEAK)).map(Revenue::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        long hits = revenue.stream().mapToLong(Revenue::cacheHitTokens).sum();
        long misses = revenue.stream().mapToLong(Revenue::cacheMissTokens).sum();
        long output = revenue.stream().mapToLong(Revenue::outputTokens).sum();
        long requests = revenue.stream().mapToLong(Revenue::requests).sum();

        BigDecimal margin = null;
        boolean comparable = cost != null && cost.signum() > 0 && (revenue.isEmpty() || rate.currency().equals(revenueCurrency));
        if (comparable) {
            margin = billed.subtract(cost).multiply(BigDecimal.valueOf(100)).divide(cost, 1, RoundingMode.HALF_EVEN);
        }
        return new DeploymentDay(deploymentId, name, tenantId, model, day, hours, cost, rate.currency(), requests,
                currencies.size() > 1 ? null : billed, revenueCurrency, margin, hits + misses + output,
                share(hits, hits + misses), billed.signum() == 0 || currencies.size() > 1 ? null : offPeak.divide(billed, 4, RoundingMode.HALF_EVEN));
    }

    private static BigDecimal share(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN);
    }
}
