package io.maas.console.system;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * "Today" as the platform counts usage, limits and statements: a tenant's day in its billing zone, and for views over
 * every tenant the day in the platform's zone. Never the console's own clock: a tenant billing in Beijing is already in
 * its next day (and on the last of a month, its next month) from 16:00 UTC.
 */
@Component
public class BillingDays {

    /** A day now and the zone it is a day of. */
    public record Today(String zone, LocalDate today) {

        public YearMonth month() {
            return YearMonth.from(today);
        }
    }

    private final TenantApi api;

    BillingDays(TenantApi api) {
        this.api = api;
    }

    /** The tenant's day now, in its billing zone. */
    public Today of(UUID tenantId) {
        return api.get(Today.class, "/api/v1/tenants/{id}/billing-zone", tenantId);
    }

    /** The day now in the zone the platform bills in. */
    public Today platform() {
        return api.get(Today.class, "/api/v1/billing-zone");
    }
}
