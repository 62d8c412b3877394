package io.maas.gateway.admission;

import io.maas.pricing.PriceClass;
import java.util.OptionalLong;

/**
 * What admission is asked to admit: a request of {@code model} whose client asked for at most
 * {@code outputTokens} output tokens (empty: it set no cap) and whose prompt is {@code promptBytes}
 * UTF-8 bytes, priced in {@code priceClass} (a batch's line: its worst case is at the batch price). Admission answers
 * with the output cap the engine must be sent ({@link Admission#outputCap()}).
 */
public record Demand(String requestId, String model, OptionalLong outputTokens, long promptBytes, PriceClass priceClass) {

    /** An online request. */
    public Demand(String requestId, String model, OptionalLong outputTokens, long promptBytes) {
        this(requestId, model, outputTokens, promptBytes, PriceClass.ONLINE);
    }
}
