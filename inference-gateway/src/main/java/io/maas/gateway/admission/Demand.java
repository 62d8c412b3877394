package io.maas.gateway.admission;

import java.util.OptionalLong;

/**
 * What admission is asked to admit: a request of {@code model} whose client asked for at most
 * {@code outputTokens} output tokens (empty: it set no cap) and whose prompt is {@code promptBytes}
 * UTF-8 bytes. Admission answers with the output cap the engine must be sent ({@link Admission#outputCap()}).
 */
public record Demand(String requestId, String model, OptionalLong outputTokens, long promptBytes) {
}
