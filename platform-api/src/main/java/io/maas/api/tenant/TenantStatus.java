package io.maas.api.tenant;

/** A tenant's state ({@code tenant.status}): only an {@code ACTIVE} tenant's keys are served. */
public enum TenantStatus {
    ACTIVE, SUSPENDED, DEACTIVATED
}
