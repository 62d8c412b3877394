package io.maas.engine.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.openai.ChatCompletion;
import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** {@code platform.engine.runtime=simulated} over real HTTP: chain of thought first, keep-alives while queued. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.engine.runtime=simulated", "platform.engine.served-model-name=sim-reasoner",
        "platform.engine.simulated.time-to-first-token=10ms", "platform.engine.simulated.inter-token-latency=20ms",
        "platform.engine.simulated.output.tokens=30", "platform.engine.simulated.max-concurrency=1",
        "platform.engine.simulated.keep-alive-interval=100ms"})
class SimulatedRuntimeIT {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void awaitEngine() throws Exception {
        for (int i = 0; i < 200 && get("/health").statusCode() != 200; i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void aReasonerAnswersWithReasoningContentCountedAsReasoningTokens() throws Exception {
        HttpResponse<String> response = http.send(request("{\"model\":\"sim-reasoner\",\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"why?\"}]}"), HttpResponse.BodyHandlers.ofString());

        ChatCompletion completion = json.readValue(response.body(), ChatCompletion.class);
        assertThat(completion.choices().getFirst().message().reasoningContent()).isNotBlank();
        assertThat(completion.choices().getFirst().message().content()).isNotBlank();
        assertThat(completion.usage().completionTokens()).isEqualTo(8);
        assertThat(completion.usage().reasoningTokens()).isEqualTo(4);
    }

    @Test
    void aStreamedRequestWaitingForTheOnlySlotGetsKeepAlivesThenItsAnswer() throws Exception {
        String stream = "{\"model\":\"sim-reasoner\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(request(stream), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(100); // the first holds the slot for about 600 ms

        List<String> events = new ArrayList<>();
        HttpResponse<InputStream> second = http.send(request(stream), HttpResponse.BodyHandlers.ofInputStream());
        try (SseReader reader = new SseReader(second.body())) {
            SseEvent event;
            while ((event = reader.next()) != null) {
                events.add(event.isComment() ? ":" + event.comment() : event.data().contains("reasoning_content") ? "R"
                        : event.data().contains("\"content\":\"\"") ? "role" : event.isDone() ? "DONE" : "other");
            }
        }

        assertThat(first.join().body()).endsWith("data: [DONE]\n\n");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(events.getFirst()).isEqualTo(":keep-alive");
        assertThat(events.subList(0, events.indexOf("role"))).hasSizeGreaterThanOrEqualTo(3).containsOnly(":keep-alive");
        assertThat(events).containsSubsequence("role", "R", "other", "DONE").doesNotContain("error");
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
