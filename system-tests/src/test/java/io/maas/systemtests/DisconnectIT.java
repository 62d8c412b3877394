package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A client that walks away mid-stream: the engine stops generating, and the record says
 * CLIENT_CANCELLED with exactly the tokens the engine produced, by the engine's own count.
 */
class DisconnectIT {

    private static final int MAX_TOKENS = 3000;

    private final Platform platform = Platform.get();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theEngineStopsAndTheRecordHoldsTheTokensReallyProduced() throws Exception {
        String body = "{\"model\":\"" + Platform.MODEL + "\",\"stream\":true,\"max_tokens\":" + MAX_TOKENS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Write a very long story.\"}]}";
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer " + platform.apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        int received = 0;
        try (SseReader events = new SseReader(response.body())) {
            SseEvent event;
            while (received < 5 && (event = events.next()) != null) {
                if (!event.isComment()) {
                    received++;
                }
            }
        }

        var record = UsageRecords.await(requestId);
        String receipt = receipt(requestId);

        assertThat(received).isEqualTo(5);
        assertThat(record.outcome()).isEqualTo("CLIENT_CANCELLED");
        assertThat(receipt).contains("\"state\":\"cancelled\"", "\"completion_tokens\":" + record.completionTokens() + ",");
        assertThat(record.completionTokens()).isGreaterThanOrEqualTo(4).isLessThan(MAX_TOKENS);
        assertThat(record.promptTokens()).isPositive();
    }

    private String receipt(String requestId) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(platform.engine.resolve("/engine/requests/" + requestId + "?waitMs=3000")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
