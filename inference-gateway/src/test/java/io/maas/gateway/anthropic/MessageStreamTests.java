package io.maas.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** OpenAI chunk streams, as engines send them, into Anthropic's event sequence as its streaming reference shows it. */
class MessageStreamTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Event(String name, JsonNode data) {
    }

    private final List<Event> events = new ArrayList<>();
    private final MessageStream stream = new MessageStream((name, json) -> events.add(new Event(name, JSON.readTree(json))),
            "msg_1", "demo-moe", List.of());

    private void chunk(String delta, String finishReason) throws IOException {
        stream.chunk(JSON.readTree("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"demo-moe",
                 "choices":[{"index":0,"delta":%s,"finish_reason":%s}]}""".formatted(delta, finishReason)));
    }

    private List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    @Test
    void thinkingThenTextIsTwoBlocksAndTheUsageComesWithMessageDelta() throws IOException {
        stream.keepAlive();
        chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null");
        chunk("{\"reasoning_content\":\"Let me \"}", "null");
        chunk("{\"reasoning_content\":\"think.\"}", "null");
        chunk("{\"content\":\"Hello\"}", "null");
        stream.keepAlive();
        chunk("{\"content\":\"!\"}", "null");
        chunk("{}", "\"stop\"");
        stream.chunk(JSON.readTree("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"demo-moe","choices":[],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}"""));
        stream.end(Usage.of(2, 10, 5, 2));

        assertThat(names()).containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "ping",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.getFirst().data()).isEqualTo(JSON.readTree("""
                {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"demo-moe",
                 "content":[],"stop_reason":null,"stop_sequence":null,
                 "usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}"""));
        assertThat(events.get(2).data()).isEqualTo(JSON.readTree("""
                {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""));
        assertThat(events.get(3).data()).isEqualTo(JSON.readTree("""
                {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}"""));
        assertThat(events.get(6).data()).isEqualTo(JSON.readTree("""
                {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""));
        assertThat(events.get(9).data()).isEqualTo(JSON.readTree("""
                {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"!"}}"""));
        assertThat(events.get(10).data()).isEqualTo(JSON.readTree("{\"type\":\"content_block_stop\",\"index\":1}"));
        assertThat(events.get(11).data()).isEqualTo(JSON.readTree("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":2,"output_tokens":5}}"""));
        assertThat(events.getLast().data()).isEqualTo(JSON.readTree("{\"type\":\"message_stop\"}"));
    }

    @Test
    void streamedToolCallsAreToolUseBlocksWithInputJsonDeltas() throws IOException {
        chunk("{\"role\":\"assistant\",\"content\":\"Checking.\"}", "null");
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", "null");
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]}", "null");
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}]}", "null");
        chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}", "null");
        chunk("{}", "\"tool_calls\"");
        stream.end(Usage.of(0, 30, 20, 0));

        assertThat(names()).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(4).data()).isEqualTo(JSON.readTree("""
                {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_a","name":"get_weather","input":{}}}"""));
        assertThat(events.get(5).data()).isEqualTo(JSON.readTree("""
                {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}"""));
        assertThat(events.get(8).data().get("content_block").get("id").asString()).isEqualTo("call_b");
        assertThat(events.get(8).data().get("index").asInt()).isEqualTo(2);
        assertThat(events.get(11).data().get("delta").get("stop_reason").asString()).isEqualTo("tool_use");
    }

    @Test
    void aCutOffAnswerIsMaxTokensAndABrokenOneEndsWithAnErrorEvent() throws IOException {
        chunk("{\"content\":\"Once upon\"}", "null");
        chunk("{}", "\"length\"");
        stream.end(Usage.of(0, 3, 2, 0));
        assertThat(events.get(events.size() - 2).data().get("delta").get("stop_reason").asString()).isEqualTo("max_tokens");

        events.clear();
        var broken = new MessageStream((name, json) -> events.add(new Event(name, JSON.readTree(json))), "msg_2", "demo-moe", List.of());
        broken.chunk(JSON.readTree("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once\"},\"finish_reason\":null}]}"));
        broken.failed(ApiError.ENGINE_ERROR, "The engine serving 'demo-moe' broke off the answer. Retry the request.");
        assertThat(names()).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        assertThat(events.getLast().data()).isEqualTo(JSON.readTree("""
                {"type":"error","error":{"type":"api_error","message":"The engine serving 'demo-moe' broke off the answer. Retry the request."}}"""));
    }
}
