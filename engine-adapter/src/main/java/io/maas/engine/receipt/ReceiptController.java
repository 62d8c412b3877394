package io.maas.engine.receipt;

import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.engine.runtime.EngineProperties;
import java.time.Duration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /engine/requests/{id}[?waitMs=N]}: a request's receipt; with {@code waitMs} the answer
 * waits up to N ms (at most {@code platform.engine.receipts.max-wait}) for the request to settle.
 */
@RestController
class ReceiptController {

    private final Receipts receipts;
    private final Duration maxWait;

    ReceiptController(Receipts receipts, EngineProperties properties) {
        this.receipts = receipts;
        this.maxWait = properties.receipts().maxWait();
    }

    @GetMapping("/engine/requests/{id}")
    EngineReceipt receipt(@PathVariable String id, @RequestParam(defaultValue = "0") long waitMs)
            throws InterruptedException {
        if (waitMs < 0) {
            throw new ApiException(ApiError.INVALID_REQUEST, "waitMs must be 0 or more.", "waitMs");
        }
        Receipt receipt = receipts.find(id).orElseThrow(() -> new ApiException(ApiError.NOT_FOUND,
                "No request with id '" + id + "' is known here (it never ran, or its receipt expired).", "id"));
        Duration wait = Duration.ofMillis(waitMs);
        receipt.awaitSettled(wait.compareTo(maxWait) > 0 ? maxWait : wait);
        return receipt.view();
    }
}
