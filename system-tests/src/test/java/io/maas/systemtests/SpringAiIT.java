package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

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
}
