package io.maas.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.gateway.metering.Outcome;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StreamRelayTests {

    private final StreamRelay relay = new StreamRelay(JsonMapper.builder().build());

    @Test
    void aStreamThatBreaksOffCountsTheTokensItCarriedNotItsOtherEvents() {
        String engine = String.join("\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\"}}]}}]}",
                "data: {\"choices\":[{\"index\":0,\"text\":\" world\"}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{}}]}",
                ": keep-alive",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}",
                "") + "\n";
        Sink client = new Sink();

        StreamRelay.Result result = relay.relay(new ByteArrayInputStream(engine.getBytes(StandardCharsets.UTF_8)), client, false);

        assertThat(result.outcome()).as("no [DONE]: the engine broke off").isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(result.tokensRelayed()).as("reasoning, content, a tool call's piece and a completion's text").isEqualTo(4);
        assertThat(client.events).hasSize(6).noneMatch(e -> e.contains("usage"));
    }

    @Test
    void anErrorEventFromTheEngineIsNoToken() {
        String engine = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"out of memory\",\"type\":\"server_error\",\"code\":\"engine_error\"}}\n\n";

        StreamRelay.Result result = relay.relay(new ByteArrayInputStream(engine.getBytes(StandardCharsets.UTF_8)), new Sink(), false);

        assertThat(result.outcome()).isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(result.tokensRelayed()).isEqualTo(1);
    }

    @Test
    void eventsThatCameTogetherAreFlushedTogetherAndNothingWaitsForAnEventOnItsWay() {
        String together = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n\ndata: {\"choi";
        String later = "ces\":[{\"index\":0,\"delta\":{\"content\":\"c\"}}]}\n\n";
        String done = "data: [DONE]\n\n";
        var engine = new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(together.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream(later.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream(done.getBytes(StandardCharsets.UTF_8)))));
        Sink client = new Sink();

        StreamRelay.Result result = relay.relay(engine, client, false);

        assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(client.sent).containsExactly("a", "b", "flush", "c", "flush");
    }

    /** Keeps what a client would have been sent. */
    private static final class Sink implements AnswerSink {

        final List<String> events = new ArrayList<>();
        /** The content of each event and each flush, in order. */
        final List<String> sent = new ArrayList<>();

        @Override
        public void admitted(Map<String, String> headers) {
        }

        @Override
        public void streamStarted() {
        }

        @Override
        public void event(String chunk) {
            events.add(chunk);
            JsonNode delta = JsonMapper.builder().build().readTree(chunk).path("choices").path(0).path("delta");
            sent.add(delta.path("content").asString(""));
        }

        @Override
        public void flush() {
            sent.add("flush");
        }

        @Override
        public void completed(Usage usage) {
        }

        @Override
        public void broken(ApiException error) {
        }

        @Override
        public void refused(ApiException refusal) {
        }

        @Override
        public void answer(byte[] body, JsonNode tree, Usage usage) {
        }
    }
}
