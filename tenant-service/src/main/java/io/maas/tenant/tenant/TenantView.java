package io.maas.tenant.tenant;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A tenant as the API shows it; {@code creditLimit} is a decimal string (postpaid), null when none. */
public record TenantView(UUID id, String name, String status, BillingMode billingMode, String creditLimit,
                         UUID priceBookId, Instant createdAt) {

    static TenantView of(Tenant t) {
        BigDecimal limit = t.creditLimit();
        return new TenantView(t.id(), t.name(), t.status().name(), t.billingMode(),
                limit == null ? null : limit.toPlainString(), t.priceBookId(), t.createdAt());
    }
}
