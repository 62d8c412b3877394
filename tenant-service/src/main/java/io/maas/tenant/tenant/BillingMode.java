package io.maas.tenant.tenant;

/**
 * How a tenant pays. {@code PREPAID}: it spends grants and top-ups, granted balance first.
 * {@code POSTPAID}: it is billed monthly and may owe up to its credit limit.
 */
public enum BillingMode {
    PREPAID,
    POSTPAID
}
