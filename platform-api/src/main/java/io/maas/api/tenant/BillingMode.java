package io.maas.api.tenant;

/**
 * How a tenant pays ({@code tenant.billing_mode}): {@code PREPAID} spends its balance and is refused
 * when the balance cannot cover a request; {@code POSTPAID} is billed afterwards, up to its credit limit.
 */
public enum BillingMode {
    PREPAID, POSTPAID
}
