package io.maas.api.openai;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The request id: the gateway names every request it admits, answers with the name in this header
 * (so a client can quote it), and sends it to the engine in the same header, which keeps the
 * request's receipt under it ({@link io.maas.api.engine.EngineReceipt}).
 */
public final class RequestId {

    /** {@code X-Request-Id}; HTTP header names are case-insensitive. */
    public static final String HEADER = "X-Request-Id";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private RequestId() {
    }

    /**
     * A new request id: 32 hex digits, the first 12 the milliseconds since the epoch and the other 20 random (80 bits,
     * so ids never repeat). Ids made at about the same time sort together: the usage record, the ledger entry and the
     * journal entry are keyed by the request id, and keys that come in order are added at the right edge of their
     * B-tree instead of on a random page of it, which PostgreSQL would first read and then write whole into its WAL
     * (the layout of RFC 9562's time-ordered UUID, version 7, without its version bits).
     */
    public static String next() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return HEX.toHexDigits(System.currentTimeMillis()).substring(4) + HEX.formatHex(random);
    }
}
