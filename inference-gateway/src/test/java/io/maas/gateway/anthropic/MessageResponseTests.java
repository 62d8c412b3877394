package io.maas.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.openai.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Chat completions, as engines answer them, into Anthropic messages as the API reference shows them. */
class MessageResponseTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The message as a client reads it (parsed back from the JSON it is sent as). */
    private static JsonNode message(String completion, Usage usage, List<String> stops) {
        return JSON.readTree(MessageResponse.of(JSON.readTree(completion), usage, "msg_0123", "demo-moe", stops).toString());
    }

    @Test
    void reasoningAndTextBecomeAThinkingAndATextBlockWithCacheReadsApart() {
        JsonNode message = message("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"demo-moe",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi! My name is Claude.",
                   "reasoning_content":"The user greets me."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":7,"total_tokens":17,"prompt_cache_hit_tokens":4,"prompt_cache_miss_tokens":6}}
                """, Usage.of(4, 6, 7, 3), List.of());

        assertThat(message).isEqualTo(JSON.readTree("""
                {"id":"msg_0123","type":"message","role":"assistant","model":"demo-moe",
                 "content":[{"type":"thinking","thinking":"The user greets me.","signature":""},
                            {"type":"text","text":"Hi! My name is Claude."}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":6,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":7}}
                """));
    }

    @Test
    void toolCallsBecomeToolUseBlocksWithTheirArgumentsAsInput() {
        JsonNode message = message("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":null,
                  "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}},
                                {"type":"function","function":{"name":"get_time","arguments":"not json"}}]},
                  "finish_reason":"tool_calls"}]}
                """, Usage.of(0, 20, 12, 0), List.of());

        assertThat(message.get("content")).isEqualTo(JSON.readTree("""
                [{"type":"tool_use","id":"call_1","name":"get_weather","input":{"location":"Paris"}},
                 {"type":"tool_use","id":"toolu_0123_1","name":"get_time","input":"not json"}]
                """));
        assertThat(message.get("stop_reason").asString()).isEqualTo("tool_use");
    }

    @Test
    void finishReasonsBecomeStopReasons() {
        String completion = """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"%s"%s}]}""";
        Usage usage = Usage.of(0, 1, 1, 0);
        assertThat(message(completion.formatted("length", ""), usage, List.of()).get("stop_reason").asString()).isEqualTo("max_tokens");
        assertThat(message(completion.formatted("content_filter", ""), usage, List.of()).get("stop_reason").asString()).isEqualTo("refusal");
        assertThat(message(completion.formatted("stop", ""), usage, List.of("END")).get("stop_reason").asString()).isEqualTo("end_turn");
        JsonNode stopped = message(completion.formatted("stop", ",\"stop_reason\":\"END\""), usage, List.of("END"));
        assertThat(stopped.get("stop_reason").asString()).isEqualTo("stop_sequence");
        assertThat(stopped.get("stop_sequence").asString()).isEqualTo("END");
    }
}
