package io.maas.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Anthropic Messages requests, as the API reference and Claude Code write them, into the chat request the gateway parses. */
class MessagesRequestTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static MessagesRequest request(String json) {
        return MessagesRequest.of(JSON.readTree(json));
    }

    private static JsonNode chat(String json) {
        return request(json).chatRequest("demo-moe");
    }

    @Test
    void aPlainRequestKeepsItsSamplingAndGetsItsSystemPromptFirst() {
        JsonNode chat = chat("""
                {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are terse.",
                 "messages":[{"role":"user","content":"Hello, Claude"}],
                 "temperature":0.5,"top_p":0.9,"stop_sequences":["\\n\\nHuman:"],
                 "metadata":{"user_id":"u-1"},"service_tier":"auto"}
                """);

        assertThat(chat).isEqualTo(JSON.readTree("""
                {"model":"demo-moe","messages":[{"role":"system","content":"You are terse."},
                 {"role":"user","content":"Hello, Claude"}],"max_tokens":1024,"stop":["\\n\\nHuman:"],
                 "temperature":0.5,"top_p":0.9}
                """));
    }

    @Test
    void textBlocksJoinAndCacheControlIsDropped() {
        JsonNode chat = chat("""
                {"model":"claude-x","max_tokens":10,
                 "system":[{"type":"text","text":"Be kind.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Be brief."}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"<system-reminder>x</system-reminder>"},
                   {"type":"text","text":"What is 2+2?","cache_control":{"type":"ephemeral"}}]}]}
                """);

        assertThat(chat.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":"Be kind.\\n\\nBe brief."},
                 {"role":"user","content":"<system-reminder>x</system-reminder>\\n\\nWhat is 2+2?"}]
                """));
    }

    @Test
    void toolsToolUseAndToolResultsBecomeFunctionsToolCallsAndToolMessages() {
        JsonNode chat = chat("""
                {"model":"claude-x","max_tokens":100,
                 "tools":[{"name":"get_weather","description":"Get the current weather in a given location",
                   "input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}],
                 "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
                 "messages":[
                  {"role":"user","content":"What's the weather like in San Francisco?"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"I should call the tool.","signature":"EqQBCgIYAhIM"},
                    {"type":"text","text":"Let me check."},
                    {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"},
                    {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"sunny"}],"is_error":false},
                    {"type":"text","text":"And tomorrow?"}]}]}
                """);

        assertThat(chat.get("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Get the current weather in a given location",
                  "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}]
                """));
        assertThat(chat.get("tool_choice")).isEqualTo(JSON.readTree("""
                {"type":"function","function":{"name":"get_weather"}}"""));
        assertThat(chat.get("parallel_tool_calls").booleanValue()).isFalse();
        assertThat(chat.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"What's the weather like in San Francisco?"},
                 {"role":"assistant","content":"Let me check.","reasoning_content":"I should call the tool.",
                  "tool_calls":[{"id":"toolu_01A09q90qw90lq917835lq9","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"location\\":\\"San Francisco, CA\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"},
                 {"role":"tool","tool_call_id":"toolu_2","content":"sunny"},
                 {"role":"user","content":"And tomorrow?"}]
                """));
    }

    @Test
    void toolChoicesMapToOpenAisAndThinkingToDeepSeeksSwitch() {
        String base = """
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],%s}""";
        assertThat(chat(base.formatted("\"tool_choice\":{\"type\":\"any\"}")).get("tool_choice").asString()).isEqualTo("required");
        assertThat(chat(base.formatted("\"tool_choice\":{\"type\":\"auto\"}")).get("tool_choice").asString()).isEqualTo("auto");
        assertThat(chat(base.formatted("\"tool_choice\":{\"type\":\"none\"}")).get("tool_choice").asString()).isEqualTo("none");
        assertThat(chat(base.formatted("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}")).get("thinking"))
                .isEqualTo(JSON.readTree("{\"type\":\"enabled\"}"));
        assertThat(chat(base.formatted("\"thinking\":{\"type\":\"disabled\"}")).get("thinking"))
                .isEqualTo(JSON.readTree("{\"type\":\"disabled\"}"));
    }

    @Test
    void aStreamRemembersItsStopSequences() {
        MessagesRequest request = request("""
                {"model":"claude-x","max_tokens":5,"stream":true,"stop_sequences":["END"],"messages":[{"role":"user","content":"hi"}]}""");

        assertThat(request.stream()).isTrue();
        assertThat(request.model()).isEqualTo("claude-x");
        assertThat(request.stopSequences()).containsExactly("END");
        assertThat(request.chatRequest("demo-moe").get("stream").booleanValue()).isTrue();
    }

    @Test
    void whatTheApiRequiresOrThePlatformCannotDoIsA400NamingTheMember() {
        refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "max_tokens", "Field required");
        refused("{\"model\":\"m\",\"max_tokens\":\"20\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "max_tokens", "integer");
        refused("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "max_tokens", "at least 1");
        refused("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model", "Field required");
        refused("{\"model\":\"m\",\"max_tokens\":5}", "messages", "Field required");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}", "messages.0.role", "'user' or 'assistant'");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"top_k\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "top_k", "not supported");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "n", "Extra inputs");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "temperature", "number");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":\"END\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "stop_sequences", "list");
        refused("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]}]}""",
                "messages.0.content.1.type", "'image' are not supported");
        refused("""
                {"model":"m","max_tokens":5,"tools":[{"type":"web_search_20250305","name":"web_search"}],
                 "messages":[{"role":"user","content":"hi"}]}""", "tools.0.type", "Only custom tools");
        refused("""
                {"model":"m","max_tokens":5,"tools":[{"name":"f"}],"messages":[{"role":"user","content":"hi"}]}""",
                "tools.0.input_schema", "Field required");
        refused("""
                {"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"x"}]}]}""",
                "messages.0.content.0.input", "object");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"some\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "tool_choice.type", "'auto', 'any', 'tool' or 'none'");
        refused("{\"model\":\"m\",\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":\"many\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "thinking.budget_tokens", "integer");
    }

    private static void refused(String json, String param, String message) {
        assertThatThrownBy(() -> request(json)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(ApiError.INVALID_REQUEST);
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
