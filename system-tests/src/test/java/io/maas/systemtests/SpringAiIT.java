package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** Spring AI's OpenAI chat client against the gateway, the way a Spring application calls the platform. */
class SpringAiIT {

    private final Platform platform = Platform.get();

    private ChatClient chatClient() {
        var options = OpenAiChatOptions.builder()
                .baseUrl(platform.baseUrl())
                .apiKey(platform.apiKey)
                .model(Platform.MODEL)
                .maxTokens(20)
                .temperature(0.0)
                .seed(7)
                .streamUsage(true)
                .build();
        return ChatClient.create(OpenAiChatModel.builder().options(options).build());
    }

    @Test
    void callsAndTheUsageSeenEqualsTheStoredRecord() {
        ChatResponse response = chatClient().prompt().user("What is a mixture of experts?").call().chatResponse();
        Usage usage = response.getMetadata().getUsage();

        assertThat(response.getResult().getOutput().getText()).isNotNull();
        var record = UsageRecords.await(requestIdOf(response));
        assertThat(record.outcome()).isEqualTo("COMPLETED");
        assertThat(record.promptTokens()).isEqualTo(usage.getPromptTokens().longValue());
        assertThat(record.completionTokens()).isEqualTo(usage.getCompletionTokens().longValue()).isBetween(1L, 20L);
    }

    @Test
    void streamsAndTheUsageSeenEqualsTheStoredRecord() {
        List<ChatResponse> responses = chatClient().prompt().user("Stream, please.").stream().chatResponse().collectList().block();

        assertThat(responses).isNotEmpty();
        ChatResponse last = responses.getLast();
        Usage usage = last.getMetadata().getUsage();
        var record = UsageRecords.await(requestIdOf(last));
        assertThat(record.stream()).isTrue();
        assertThat(record.promptTokens()).isEqualTo(usage.getPromptTokens().longValue());
        assertThat(record.completionTokens()).isEqualTo(usage.getCompletionTokens().longValue());
    }

    /** The engine names a completion after the gateway's request id: {@code chatcmpl-<request id>}. */
    private static String requestIdOf(ChatResponse response) {
        return response.getMetadata().getId().replaceFirst("^chatcmpl-", "");
    }

    /** A tool as a Spring application writes one: its parameters (an enum and an integer) become the function's JSON schema. */
    static final class Weather {

        enum Unit { CELSIUS, FAHRENHEIT }

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Tool(description = "The weather forecast for the coming days")
        String forecast(@ToolParam(description = "the temperature unit") Unit unit, @ToolParam(description = "how many days") int days) {
            calls.add(unit + " " + days);
            return "sunny, 21 degrees";
        }
    }

    private OpenAiChatOptions.Builder options() {
        return OpenAiChatOptions.builder().baseUrl(platform.baseUrl()).apiKey(platform.apiKey).model(Platform.MODEL)
                .maxTokens(200).seed(3);
    }

    /**
     * The model is made to call the tool ({@code tool_choice: required}: the demo model has random weights and would
     * not choose to), the application runs the {@code @Tool} method with the arguments the model wrote, and sends the
     * result back for the answer.
     */
    @Test
    void theModelCallsAToolMethodAndGetsItsResultBack() {
        Weather weather = new Weather();
        OpenAiChatModel model = OpenAiChatModel.builder().options(options().build()).build();
        var prompt = new Prompt("What will the weather be?", options().toolCallbacks(ToolCallbacks.from(weather)).toolChoice("required").build());

        ChatResponse response = model.call(prompt);
        assertThat(response.hasToolCalls()).isTrue();
        ToolExecutionResult executed = ToolCallingManager.builder().build().executeToolCalls(prompt, response);

        assertThat(weather.calls).singleElement().asString().matches("(CELSIUS|FAHRENHEIT) -?\\d+");
        assertThat(executed.conversationHistory().getLast()).isInstanceOfSatisfying(ToolResponseMessage.class,
                message -> assertThat(message.getResponses().getFirst().responseData()).contains("sunny"));
        ChatResponse answer = model.call(new Prompt(executed.conversationHistory(),
                options().toolCallbacks(ToolCallbacks.from(weather)).toolChoice("none").maxTokens(8).build()));
        assertThat(answer.hasToolCalls()).isFalse();
        assertThat(answer.getMetadata().getUsage().getCompletionTokens()).isBetween(1, 8);
    }

    /** The answer mapped to a record: the model's native structured output (response_format json_schema), enforced by the engine. */
    public record Verdict(boolean fast, int stars) {
    }

    @Test
    void structuredOutputMapsTheAnswerToARecord() {
        ChatClient client = ChatClient.create(OpenAiChatModel.builder().options(options().maxTokens(100).seed(5).build()).build());

        Verdict verdict = client.prompt().advisors(AdvisorParams.ENABLE_NATIVE_STRUCTURED_OUTPUT)
                .user("Is a mixture of experts fast? Rate it.").call().entity(Verdict.class);

        assertThat(verdict).isNotNull();
    }
}
