package io.maas.engine.receipt;

import io.maas.api.openai.Usage;

/** {@code GET /engine/requests/{id}}: {@code {"id","state":"running|completed|cancelled|failed","usage":{…}}}. */
record ReceiptView(String id, String state, Usage usage) {

    static ReceiptView of(Receipt receipt) {
        return new ReceiptView(receipt.id(), receipt.state().wireName(), receipt.usage());
    }
}
