package io.maas.tenant.tenant;

import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenants and their lifecycle: ACTIVE ⇄ SUSPENDED → DEACTIVATED (final). Other features ask here
 * whether the caller may see a tenant ({@link #visible}).
 */
@Service
public class Tenants {

    private final TenantRepository tenants;
    private final AuditLog audit;
    private final Clock clock;

    Tenants(TenantRepository tenants, AuditLog audit, Clock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The tenant {@code id} if the current caller may see it; 404 otherwise, the same answer as for
     * a tenant that does not exist.
     */
    @Transactional(readOnly = true)
    public TenantView visible(UUID id) {
        CurrentCaller.get().requireTenant(id);
        return TenantView.of(find(id));
    }

    @Transactional(readOnly = true)
    public List<TenantView> list() {
        Caller caller = CurrentCaller.get();
        if (!caller.seesAllTenants()) {
            return List.of(TenantView.of(find(caller.tenantId())));
        }
        return tenants.findAllByOrderByName().stream().map(TenantView::of).toList();
    }

    @Transactional
    public TenantView create(String name, BillingMode mode, BigDecimal creditLimit) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        if (tenants.existsByName(name)) {
            throw ApiException.conflict("A tenant named '" + name + "' exists already; choose another name.");
        }
        Tenant tenant = tenants.save(new Tenant(name, mode == null ? BillingMode.POSTPAID : mode, creditLimit, clock.instant()));
        TenantView after = TenantView.of(tenant);
        audit.record("tenant.create", tenant.id(), "tenant/" + tenant.id(), null, after);
        return after;
    }

    /** Moves a tenant to {@code next}; a deactivated tenant stays so (its ledger is kept). */
    @Transactional
    public TenantView changeStatus(UUID id, Tenant.Status next) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(id);
        caller.require(Role.PLATFORM_ADMIN);
        Tenant tenant = find(id);
        if (tenant.status() == Tenant.Status.DEACTIVATED && next != Tenant.Status.DEACTIVATED) {
            throw ApiException.conflict("Tenant '" + tenant.name() + "' is deactivated, which is final; create a new tenant instead.");
        }
        TenantView before = TenantView.of(tenant);
        tenant.status(next);
        TenantView after = TenantView.of(tenant);
        audit.record("tenant.status", id, "tenant/" + id, before, after);
        return after;
    }

    @Transactional
    public TenantView changeBilling(UUID id, BillingMode mode, BigDecimal creditLimit) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(id);
        caller.require(Role.PLATFORM_ADMIN, Role.FINANCE);
        Tenant tenant = find(id);
        TenantView before = TenantView.of(tenant);
        tenant.billing(mode, creditLimit);
        TenantView after = TenantView.of(tenant);
        audit.record("tenant.billing", id, "tenant/" + id, before, after);
        return after;
    }

    /** Assigns a price book (null: the platform default) to a tenant. Called by the pricing feature. */
    @Transactional
    public TenantView assignPriceBook(UUID id, UUID bookId) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(id);
        caller.require(Role.PLATFORM_ADMIN);
        Tenant tenant = find(id);
        TenantView before = TenantView.of(tenant);
        tenant.priceBook(bookId);
        TenantView after = TenantView.of(tenant);
        audit.record("tenant.price-book", id, "tenant/" + id, before, after);
        return after;
    }

    private Tenant find(UUID id) {
        return tenants.findById(id).orElseThrow(() -> ApiException.notFound("tenant", id));
    }
}
