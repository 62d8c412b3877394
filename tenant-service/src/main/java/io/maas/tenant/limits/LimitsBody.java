package io.maas.tenant.limits;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;

/**
 * The limits of a tenant or an API key, as sent and answered by {@code /limits}. Every field is
 * optional; absent (null) means unlimited, and a body with every field absent removes every limit.
 * Zero blocks.
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

    boolean unlimited() {
        return requestsPerMinute == null && tokensPerMinute == null && maxConcurrentRequests == null
                && dailyTokens == null && monthlyTokens == null && monthlySpendLimit == null;
    }
}
