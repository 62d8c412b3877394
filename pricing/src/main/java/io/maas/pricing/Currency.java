package io.maas.pricing;

/** The currencies a price can be stated in. Amounts in different currencies are never added together. */
public enum Currency {
    CNY,
    USD
}
