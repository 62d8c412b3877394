package io.maas.tenant.usage;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage per day, read from the daily roll-up ({@code usage_daily}), never from the ledger: what the
 * console's charts show. Days are the tenant's days in its billing zone, as the roll-up cuts them, both ends of a
 * range inclusive (without them: the tenant's month now); who may read what is written on {@link UsageReports}.
 */
@RestController
class UsageController {

    private final UsageReports reports;

    UsageController(UsageReports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/v1/tenants/{tenantId}/usage/daily")
    List<UsageReports.Day> ofTenant(@PathVariable UUID tenantId, @RequestParam(required = false) LocalDate from,
                                    @RequestParam(required = false) LocalDate to) {
        return reports.ofTenant(tenantId, from, to);
    }

    @GetMapping("/api/v1/usage/summary")
    UsageReports.Summary platform(@RequestParam LocalDate day) {
        return reports.platform(day);
    }
}
