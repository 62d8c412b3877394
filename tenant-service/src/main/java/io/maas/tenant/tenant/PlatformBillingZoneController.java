package io.maas.tenant.tenant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/billing-zone}: the zone new tenants bill in and the day in it now, to any signed-in caller. */
@RestController
class PlatformBillingZoneController {

    private final BillingZones zones;

    PlatformBillingZoneController(BillingZones zones) {
        this.zones = zones;
    }

    @GetMapping("/api/v1/billing-zone")
    BillingZones.BillingZone platform() {
        return zones.platform();
    }
}
