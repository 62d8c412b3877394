package io.maas.tenant.limits;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The limits of a tenant or an API key, as sent and answered by {@code /limits}. Every field is
 * optional; absent (null) means unlimited, and a body with every field absent removes every limit of
 * the caller's layer. Zero blocks.
 *
 * @param requestsPerMinute     requests admitted per calendar minute (UTC)
 * @param tokensPerMinute       prompt + completion tokens per calendar minute, the worst case reserved at admission
 * @param maxConcurrentRequests requests in flight at once
 * @param dailyTokens           prompt + completion tokens per day of the tenant (its billing zone)
 * @param monthlyTokens         prompt + completion tokens per month of the tenant (its billing zone)
 * @param monthlySpendLimit     the most that may be spent per month of the tenant (its billing zone), in one currency
 */
public record LimitsBody(
        @PositiveOrZero Long requestsPerMinute,
        @PositiveOrZero Long tokensPerMinute,
        @PositiveOrZero Long maxConcurrentRequests,
        @PositiveOrZero Long dailyTokens,
        @PositiveOrZero Long monthlyTokens,
        @Valid Money monthlySpendLimit) {

    /** An amount, exact, written as a decimal string ({@code "50.00"}), in {@code CNY} or {@code USD}. */
    public record Money(
            @NotNull @DecimalMin("0") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
            @NotNull @Pattern(regexp = "CNY|USD", message = "must be CNY or USD") String currency) {
    }

    static final LimitsBody NONE = new LimitsBody(null, null, null, null, null, null);

    /**
     * Field by field the smaller of this (the platform's layer) and {@code tenant}'s; absent is no limit.
     * Spend limits in two currencies cannot be compared: the platform's holds.
     */
    LimitsBody tighter(LimitsBody tenant) {
        Money spend = monthlySpendLimit == null ? tenant.monthlySpendLimit
                : tenant.monthlySpendLimit == null || !monthlySpendLimit.currency().equals(tenant.monthlySpendLimit.currency())
                ? monthlySpendLimit
                : new Money(monthlySpendLimit.amount().min(tenant.monthlySpendLimit.amount()), monthlySpendLimit.currency());
        return new LimitsBody(min(requestsPerMinute, tenant.requestsPerMinute), min(tokensPerMinute, tenant.tokensPerMinute),
                min(maxConcurrentRequests, tenant.maxConcurrentRequests), min(dailyTokens, tenant.dailyTokens),
                min(monthlyTokens, tenant.monthlyTokens), spend);
    }

    /** The first field in which this (a tenant's layer) would loosen {@code platform}'s, if any. */
    Optional<String> loosens(LimitsBody platform) {
        if (looser(requestsPerMinute, platform.requestsPerMinute)) {
            return Optional.of("requestsPerMinute");
        }
        if (looser(tokensPerMinute, platform.tokensPerMinute)) {
            return Optional.of("tokensPerMinute");
        }
        if (looser(maxConcurrentRequests, platform.maxConcurrentRequests)) {
            return Optional.of("maxConcurrentRequests");
        }
        if (looser(dailyTokens, platform.dailyTokens)) {
            return Optional.of("dailyTokens");
        }
        if (looser(monthlyTokens, platform.monthlyTokens)) {
            return Optional.of("monthlyTokens");
        }
        if (monthlySpendLimit != null && platform.monthlySpendLimit != null
                && (!monthlySpendLimit.currency().equals(platform.monthlySpendLimit.currency())
                    || monthlySpendLimit.amount().compareTo(platform.monthlySpendLimit.amount()) > 0)) {
            return Optional.of("monthlySpendLimit");
        }
        return Optional.empty();
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private static boolean looser(Long tenant, Long platform) {
        return tenant != null && platform != null && tenant > platform;
    }

    boolean unlimited() {
        return requestsPerMinute == null && tokensPerMinute == null && maxConcurrentRequests == null
                && dailyTokens == null && monthlyTokens == null && monthlySpendLimit == null;
    }
}
