package io.maas.tenant.economics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One deployment's day (UTC): what its accelerators cost against what its requests billed.
 *
 * @param acceleratorHours   replica-hours from READY to stop, clipped to the day, times each replica's accelerators
 * @param cost               accelerator-hours × the deployment's cost per accelerator-hour; null when it has none
 * @param costCurrency       the cost's currency; null when it has none
 * @param revenue            billed in the day by requests the deployment served (the ledger's amounts, unrounded)
 * @param revenueCurrency    null when nothing was billed
 * @param marginPercent      cost-profit margin, (revenue − cost) / cost × 100, rounded half-even to 0.1; null when the cost is
 *                           unknown or zero, or revenue and cost are in different currencies
 * @param tokens             prompt (cache hit and miss) and output tokens
 * @param cacheHitShare      prompt tokens served from the prompt cache, of all prompt tokens (0–1, 4 decimals); null without prompts
 * @param offPeakRevenueShare revenue billed in the {@code off-peak} tier, of all revenue (0–1, 4 decimals); null without revenue
 */
public record DeploymentDay(
        UUID deploymentId,
        String deployment,
        UUID tenantId,
        String model,
        LocalDate day,
        BigDecimal acceleratorHours,
        BigDecimal cost,
        String costCurrency,
        long requests,
        BigDecimal revenue,
        String revenueCurrency,
        BigDecimal marginPercent,
        long tokens,
        BigDecimal cacheHitShare,
        BigDecimal offPeakRevenueShare) {
}
