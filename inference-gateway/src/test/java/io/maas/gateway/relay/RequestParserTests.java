package io.maas.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.GatewayProperties;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** Every member of a chat or FIM request has one JSON type and a range; anything else is a 400 naming the member. */
class RequestParserTests {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";

    private final RequestParser parser = new RequestParser(JsonMapper.builder().build(),
            new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("platform.gateway", GatewayProperties.class));

    private ChatRequest chat(String members) {
        return parser.parse(body("{\"model\":\"m\"," + MESSAGES + (members.isEmpty() ? "" : "," + members) + "}"), -1);
    }

    private ChatRequest completion(String members) {
        return parser.parseCompletion(body("{\"model\":\"m\",\"prompt\":\"def f(\"" + (members.isEmpty() ? "" : "," + members) + "}"), -1);
    }

    private static ByteArrayInputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            "model":7                                                    | model
            "model":" "                                                  | model
            "messages":{}                                                | messages
            "stream":"true"                                              | stream
            "stream_options":true                                        | stream_options
            "stream_options":{"include_usage":"yes"}                     | stream_options.include_usage
            "max_tokens":"20"                                            | max_tokens
            "max_tokens":0                                               | max_tokens
            "max_tokens":2.5                                             | max_tokens
            "max_completion_tokens":"20"                                 | max_completion_tokens
            "n":2                                                        | n
            "n":"1"                                                      | n
            "temperature":"0.5"                                          | temperature
            "temperature":2.5                                            | temperature
            "top_p":0                                                    | top_p
            "top_p":"1"                                                  | top_p
            "presence_penalty":3                                         | presence_penalty
            "presence_penalty":"0"                                       | presence_penalty
            "frequency_penalty":-2.5                                     | frequency_penalty
            "frequency_penalty":true                                     | frequency_penalty
            "stop":5                                                     | stop
            "stop":["a",1]                                               | stop[1]
            "seed":"42"                                                  | seed
            "seed":1.5                                                   | seed
            "user":42                                                    | user
            "logprobs":"true"                                            | logprobs
            "top_logprobs":3                                             | top_logprobs
            "logprobs":true,"top_logprobs":21                            | top_logprobs
            "logprobs":true,"top_logprobs":"2"                           | top_logprobs
            "tools":{}                                                   | tools
            "tools":[{"type":"retrieval"}]                               | tools[0].type
            "tools":[{"type":"function"}]                                | tools[0].function
            "tools":[{"type":"function","function":{"name":"a b"}}]      | tools[0].function.name
            "tools":[{"type":"function","function":{"name":"f","parameters":"{}"}}] | tools[0].function.parameters
            "tools":[{"type":"function","function":{"name":"f","description":1}}]   | tools[0].function.description
            "tool_choice":7                                              | tool_choice
            "tool_choice":"always"                                       | tool_choice
            "tool_choice":"required"                                     | tool_choice
            "tool_choice":{"type":"function","function":{"name":"nope"}} | tool_choice
            "parallel_tool_calls":"yes"                                  | parallel_tool_calls
            "response_format":"json_object"                              | response_format
            "response_format":{"type":"xml"}                             | response_format.type
            "response_format":{"type":"json_schema"}                     | response_format.json_schema
            "response_format":{"type":"json_schema","json_schema":{"name":"r"}} | response_format.json_schema.schema
            "response_format":{"type":"json_schema","json_schema":{"schema":{}}} | response_format.json_schema.name
            "thinking":true                                              | thinking
            "thinking":{"type":"auto"}                                   | thinking.type
            "best_of":2                                                  | best_of
            "logit_bias":{}                                              | logit_bias
            """)
    void aWrongTypeOrValueIsA400NamingTheMember(String members, String param) {
        assertThatThrownBy(() -> chat(members))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(ApiError.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo(param);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"role":"user","content":5}                                  | messages[0].content
            {"role":"robot","content":"x"}                               | messages[0].role
            {"role":"user"}                                              | messages[0].content
            {"role":"user","content":"x","extra":1}                      | messages[0].extra
            {"role":"tool","content":"sunny"}                            | messages[0].tool_call_id
            {"role":"user","content":"x","tool_calls":[]}                | messages[0].tool_calls
            {"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":{}}}]} | messages[0].tool_calls[0].function.arguments
            {"role":"assistant","tool_calls":[{"id":"c","type":"function"}]} | messages[0].tool_calls[0].function
            """)
    void aWrongMessageIsA400NamingItsMember(String message, String param) {
        assertThatThrownBy(() -> parser.parse(body("{\"model\":\"m\",\"messages\":[" + message + "]}"), -1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            "prompt":null                                                | prompt
            "prompt":["a"]                                               | prompt
            "suffix":3                                                   | suffix
            "echo":true                                                  | echo
            "n":3                                                        | n
            "max_tokens":"8"                                             | max_tokens
            "logprobs":2                                                 | logprobs
            "messages":[]                                                | messages
            """)
    void aWrongCompletionMemberIsA400NamingIt(String members, String param) {
        assertThatThrownBy(() -> completion(members))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void toolsToolResultsJsonOutputAndThinkingAreAcceptedAndForwardedAsWritten() {
        ChatRequest request = chat(TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"weather\"}},"
                + "\"response_format\":{\"type\":\"json_object\"},\"thinking\":{\"type\":\"enabled\"},\"stop\":\"\\n\","
                + "\"seed\":3,\"temperature\":0.2,\"top_p\":0.9,\"presence_penalty\":0.5,\"frequency_penalty\":-0.5,"
                + "\"logprobs\":true,\"top_logprobs\":2,\"user\":\"u\",\"n\":1,\"parallel_tool_calls\":false");

        var body = request.engineBody(64);
        assertThat(body.propertyNames()).contains("tools", "tool_choice", "response_format", "thinking", "stop", "seed", "temperature",
                "top_p", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "parallel_tool_calls")
                .doesNotContain("n", "user");
        assertThat(body.get("max_tokens").intValue()).isEqualTo(64);
        assertThat(request.api()).isEqualTo(ChatRequest.Api.CHAT_COMPLETIONS);
    }

    @Test
    void aConversationWithToolCallsAndToolResultsIsAccepted() {
        var request = parser.parse(body("{\"model\":\"m\"," + TOOLS + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]}"), -1);

        assertThat(request.forwarded().get("messages")).hasSize(3);
        assertThat(request.promptBytes()).isGreaterThan(100);
    }

    @Test
    void aFimRequestGoesToTheEnginesCompletionsWithItsPromptAndSuffix() {
        ChatRequest request = completion("\"suffix\":\"return x\",\"max_tokens\":16,\"stream\":true,\"echo\":false");

        assertThat(request.api()).isEqualTo(ChatRequest.Api.COMPLETIONS);
        assertThat(request.stream()).isTrue();
        assertThat(request.outputTokens()).hasValue(16);
        assertThat(request.engineBody(16).propertyNames()).contains("prompt", "suffix", "stream_options").doesNotContain("echo");
        assertThat(request.promptBytes()).isEqualTo("\"def f(\"".length() + "\"return x\"".length());
    }
}
