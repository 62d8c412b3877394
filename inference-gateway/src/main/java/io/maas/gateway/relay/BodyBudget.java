package io.maas.gateway.relay;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.GatewayProperties;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Bounds the bytes of request bodies the gateway holds at once ({@code platform.gateway.max-body-bytes-in-flight}),
 * so that many large uploads cannot exhaust its memory: before a body is read, its declared length (or
 * the size limit, for a body sent without one) is taken from the budget until the request ends (its
 * parsed form lives as long). A request that finds the budget used up is answered 503 at once, before
 * its body is read.
 */
@Component
class BodyBudget {

    private final Semaphore bytes;
    private final long maxBody;

    BodyBudget(GatewayProperties properties) {
        this.bytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, properties.maxBodyBytesInFlight().toBytes()));
        this.maxBody = properties.maxRequestSize().toBytes();
    }

    /** Bytes held for one body until {@link #close}. */
    final class Held implements AutoCloseable {

        private final int held;

        private Held(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            bytes.release(held);
        }
    }

    /** Takes the bytes of a body declared as {@code declaredLength} ({@code -1}: unknown), or refuses with 503. */
    Held take(long declaredLength) {
        int wanted = (int) (declaredLength < 0 || declaredLength > maxBody ? maxBody : declaredLength);
        if (!bytes.tryAcquire(wanted)) {
            throw new ApiException(ApiError.SERVICE_UNAVAILABLE, "The gateway is receiving too many request bodies at once."
                    + " Retry in a second.").withHeader("Retry-After", "1");
        }
        return new Held(wanted);
    }
}
