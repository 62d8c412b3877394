package io.maas.gateway.metering;

/** How a request that reached an engine ended. */
public enum Outcome {
    COMPLETED,
    /** The client went away before the end; the engine's work was aborted and what it produced is billed. */
    CLIENT_CANCELLED,
    /** The engine failed or broke off; what it had produced by then is recorded. */
    ENGINE_ERROR,
    /** The gateway running it died (kill -9, out of memory); another replica billed it from the engine's receipt. */
    GATEWAY_LOST
}
