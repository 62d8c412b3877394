package io.maas.tenant.tenant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/tenants}. Create and change status: {@code PLATFORM_ADMIN}; billing mode and
 * credit limit, billing zone ({@link BillingZones}): {@code PLATFORM_ADMIN}, {@code FINANCE}; read: platform roles every tenant, tenant
 * roles their own (another tenant is a 404).
 */
@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

    record CreateTenant(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}",
            message = "must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit") String name,
                        BillingMode billingMode,
                        @DecimalMin("0") BigDecimal creditLimit) {
    }

    record Billing(@NotNull BillingMode billingMode, @DecimalMin("0") BigDecimal creditLimit) {
    }

    record Zone(@NotBlank String zone) {
    }

    private final Tenants tenants;
    private final BillingZones zones;

    TenantController(Tenants tenants, BillingZones zones) {
        this.tenants = tenants;
        this.zones = zones;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TenantView create(@Valid @RequestBody CreateTenant request) {
        return tenants.create(request.name(), request.billingMode(), request.creditLimit());
    }

    @GetMapping
    List<TenantView> list() {
        return tenants.list();
    }

    @GetMapping("/{tenantId}")
    TenantView get(@PathVariable UUID tenantId) {
        return tenants.visible(tenantId);
    }

    @PostMapping("/{tenantId}/suspend")
    TenantView suspend(@PathVariable UUID tenantId) {
        return tenants.changeStatus(tenantId, Tenant.Status.SUSPENDED);
    }

    @PostMapping("/{tenantId}/activate")
    TenantView activate(@PathVariable UUID tenantId) {
        return tenants.changeStatus(tenantId, Tenant.Status.ACTIVE);
    }

    @PostMapping("/{tenantId}/deactivate")
    TenantView deactivate(@PathVariable UUID tenantId) {
        return tenants.changeStatus(tenantId, Tenant.Status.DEACTIVATED);
    }

    @PutMapping("/{tenantId}/billing")
    TenantView billing(@PathVariable UUID tenantId, @Valid @RequestBody Billing request) {
        return tenants.changeBilling(tenantId, request.billingMode(), request.creditLimit());
    }

    @GetMapping("/{tenantId}/billing-zone")
    BillingZones.BillingZone billingZone(@PathVariable UUID tenantId) {
        return zones.of(tenantId);
    }

    @PutMapping("/{tenantId}/billing-zone")
    BillingZones.BillingZone billingZone(@PathVariable UUID tenantId, @Valid @RequestBody Zone request) {
        return zones.change(tenantId, request.zone());
    }
}
