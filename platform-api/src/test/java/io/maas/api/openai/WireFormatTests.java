package io.maas.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WireFormatTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void usageCarriesOpenAiAndDeepSeekNames() {
        String text = json.writeValueAsString(Usage.of(3, 7, 5, 0));

        assertThat(json.readTree(text).toString()).isEqualTo(
                "{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,"
                        + "\"prompt_cache_hit_tokens\":3,\"prompt_cache_miss_tokens\":7,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":3},"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}");
    }

    @Test
    void usageFromAnOpenAiEngineReadsCachedTokens() {
        Usage usage = json.readValue("{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":8}}", Usage.class);

        assertThat(usage.cacheHitTokens()).isEqualTo(8);
        assertThat(usage.cacheMissTokens()).isEqualTo(4);
    }

    @Test
    void requestAcceptsStopAsStringOrListAndIgnoresUnknownMembers() {
        ChatCompletionRequest single = json.readValue(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":\"END\",\"logit_bias\":{}}",
                ChatCompletionRequest.class);
        ChatCompletionRequest list = json.readValue(
                "{\"model\":\"m\",\"messages\":[],\"stop\":[\"a\",\"b\"],\"max_completion_tokens\":9,\"max_tokens\":3}",
                ChatCompletionRequest.class);

        assertThat(single.stop()).containsExactly("END");
        assertThat(list.stop()).containsExactly("a", "b");
        assertThat(list.outputLimit()).isEqualTo(9);
    }

    @Test
    void toolCallsReadAndWriteInOpenAisShape() {
        String assistant = "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"forecast\",\"arguments\":\"{\\\"days\\\":2}\"}}]}";
        ChatMessage read = json.readValue(assistant, ChatMessage.class);
        String delta = json.writeValueAsString(new ChatMessage(null, null, null, null,
                List.of(new ToolCall(0, null, null, new ToolCall.Function(null, "{\"da"))), null));
        ChatCompletionRequest request = json.readValue("{\"model\":\"m\",\"messages\":[" + assistant + ",{\"role\":\"tool\","
                + "\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}],\"tool_choice\":\"required\","
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"v\",\"schema\":{\"type\":\"object\"}}},"
                + "\"thinking\":{\"type\":\"enabled\"}}", ChatCompletionRequest.class);

        assertThat(json.readTree(json.writeValueAsString(read))).isEqualTo(json.readTree(assistant));
        assertThat(delta).isEqualTo("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"da\"}}]}");
        assertThat(json.writeValueAsString(ChatMessage.of("user", "hi"))).isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
        assertThat(request.messages().get(1).toolCallId()).isEqualTo("call_1");
        assertThat(request.toolChoice().asString()).isEqualTo("required");
        assertThat(request.responseFormat().jsonSchema().schema().path("type").asString()).isEqualTo("object");
        assertThat(request.thinking().enabled()).isTrue();
    }

    @Test
    void chunkOmitsAbsentMembersButKeepsReasoningContent() {
        var chunk = new ChatCompletionChunk("id1", ChatCompletionChunk.OBJECT, 1, "m",
                List.of(new ChatCompletionChunk.Choice(0, new ChatMessage(null, null, "think", null), null)), null);

        assertThat(json.writeValueAsString(chunk)).isEqualTo(
                "{\"id\":\"id1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]}");
    }

    @Test
    void errorBodyKeepsNullParamAndCode() {
        String text = json.writeValueAsString(ApiError.INVALID_REQUEST.response("bad", null));

        assertThat(text).isEqualTo(
                "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request\"}}");
    }

    @Test
    void errorCodesAreUnique() {
        assertThat(Arrays.stream(ApiError.values()).map(ApiError::code)).doesNotHaveDuplicates();
    }

    @Test
    void anUpstreamStatusMapsToTheGeneralErrorOfThatStatus() {
        assertThat(ApiError.forStatus(503)).isEqualTo(ApiError.ENGINE_UNAVAILABLE);
        assertThat(ApiError.forStatus(429)).isEqualTo(ApiError.RATE_LIMIT_EXCEEDED);
        assertThat(ApiError.forStatus(402)).isEqualTo(ApiError.INSUFFICIENT_BALANCE);
    }

    @Test
    void aUsageWithMoreCachedThanPromptTokensIsMadeConsistentForTheBill() {
        Usage reported = json.readValue("{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":9}}", Usage.class);

        Usage billed = reported.consistent();

        assertThat(billed.cacheHitTokens()).isEqualTo(7);
        assertThat(billed.cacheMissTokens()).isZero();
        assertThat(billed.completionTokens()).isEqualTo(2);
        assertThat(Usage.of(3, 4, 5, 1).consistent()).isEqualTo(Usage.of(3, 4, 5, 1));
    }
}
