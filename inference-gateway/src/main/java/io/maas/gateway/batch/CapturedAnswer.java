package io.maas.gateway.batch;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.gateway.relay.AnswerSink;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The {@link AnswerSink} of a batch's line: a whole answer, kept for the output file. A batch's lines are never streamed. */
final class CapturedAnswer implements AnswerSink {

    private JsonNode answer;

    /** The engine's answer; null until {@link #answer} was called. */
    JsonNode answer() {
        return answer;
    }

    @Override
    public void admitted(Map<String, String> headers) {
        // the batch's own records say what a client would read in them
    }

    @Override
    public void answer(byte[] body, JsonNode tree, Usage usage) {
        this.answer = tree;
    }

    @Override
    public void streamStarted() {
        throw notStreamed();
    }

    @Override
    public void event(String chunk) {
        throw notStreamed();
    }

    @Override
    public void completed(Usage usage) {
        throw notStreamed();
    }

    @Override
    public void broken(ApiException error) {
        throw notStreamed();
    }

    @Override
    public void refused(ApiException refusal) {
        throw notStreamed();
    }

    private static IllegalStateException notStreamed() {
        return new IllegalStateException("a batch's line is never streamed (BatchInput refuses stream: true)");
    }
}
