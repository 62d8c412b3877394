package io.maas.pricing;

/**
 * Which instant of a request decides its price: both the price-book version in force and the
 * time-of-day tier are looked up at this one instant, so a request is never priced with one
 * version's prices and another version's tiers.
 */
public enum DecidingInstant {
    /** The instant the request started (the gateway admitted it). */
    START,
    /** The instant the request completed; the default, as DeepSeek bills. */
    COMPLETION
}
