package io.maas.pricing;

/**
 * What kind of request is priced: an online one, priced in the time-of-day tier in force, or a
 * request of a batch (OpenAI's Batch API), priced in the version's {@link BatchClass} when it has one.
 */
public enum PriceClass {
    /** A request a client waits for: priced in the schedule's tier at the deciding instant. */
    ONLINE,
    /** A request of a batch the platform runs when it has room: priced in the batch class. */
    BATCH
}
