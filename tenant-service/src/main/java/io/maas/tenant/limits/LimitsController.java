package io.maas.tenant.limits;

import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/tenants/{tenantId}/limits} and {@code /api/v1/keys/{keyId}/limits}, each with an
 * optional {@code ?model=} to narrow the limits to one model; who may do what is written on {@link Limits}.
 * {@code PUT} replaces the limits of that scope (absent fields: unlimited).
 */
@RestController
class LimitsController {

    private final Limits limits;

    LimitsController(Limits limits) {
        this.limits = limits;
    }

    @GetMapping("/api/v1/tenants/{tenantId}/limits")
    Limits.View tenant(@PathVariable UUID tenantId, @RequestParam(required = false) String model) {
        return limits.ofTenant(tenantId, model);
    }

    @PutMapping("/api/v1/tenants/{tenantId}/limits")
    Limits.View setTenant(@PathVariable UUID tenantId, @RequestParam(required = false) String model,
                          @Valid @RequestBody LimitsBody body) {
        return limits.setForTenant(tenantId, model, body);
    }

    @GetMapping("/api/v1/keys/{keyId}/limits")
    Limits.View key(@PathVariable UUID keyId, @RequestParam(required = false) String model) {
        return limits.ofKey(keyId, model);
    }

    @PutMapping("/api/v1/keys/{keyId}/limits")
    Limits.View setKey(@PathVariable UUID keyId, @RequestParam(required = false) String model,
                       @Valid @RequestBody LimitsBody body) {
        return limits.setForKey(keyId, model, body);
    }
}
