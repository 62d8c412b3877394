package io.maas.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A client that walks away mid-stream: the engine stops generating, and the record says
 * CLIENT_CANCELLED with exactly the tokens the engine produced, by the engine's own count.
 *
 * <p>The client is a plain socket closed with a reset after a few events, as a killed process or a
 * dropped network leaves it; an HTTP client library may keep reading in the background instead.
 */
class DisconnectIT {

    private static final int MAX_TOKENS = 8000; // about 10 s of generation: far longer than the client stays

    private final Platform platform = Platform.get();

    @Test
    void theEngineStopsAndTheRecordHoldsTheTokensReallyProduced() throws Exception {
        // seed 1: the demo model's answer to this prompt runs the whole max_tokens (many seeds end early)
        byte[] body = ("{\"model\":\"" + Platform.MODEL + "\",\"stream\":true,\"seed\":1,\"max_tokens\":" + MAX_TOKENS
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Write a very long story.\"}]}").getBytes(StandardCharsets.UTF_8);
        String requestId = null;
        int received = 0;
        try (Socket socket = new Socket(platform.gateway.getHost(), platform.gateway.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + platform.gateway.getHost() + "\r\nAuthorization: Bearer "
                    + platform.apiKey + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.regionMatches(true, 0, "x-request-id:", 0, 13)) {
                    requestId = line.substring(13).strip();
                }
            }
            while (received < 5 && (line = in.readLine()) != null) {
                if (line.startsWith("data: {")) {
                    received++;
                }
            }
            socket.setSoLinger(true, 0); // close with a reset: the client is gone at once
        }

        var record = UsageRecords.await(requestId);
        String receipt = receipt(requestId);

        assertThat(received).isEqualTo(5);
        assertThat(record.outcome()).isEqualTo("CLIENT_CANCELLED");
        assertThat(receipt).contains("\"state\":\"cancelled\"", "\"completion_tokens\":" + record.completionTokens() + ",");
        assertThat(record.completionTokens()).isGreaterThanOrEqualTo(4).isLessThan(MAX_TOKENS);
        assertThat(record.promptTokens()).isPositive();
    }

    private String receipt(String requestId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(platform.engine.resolve("/engine/requests/" + requestId + "?waitMs=3000"))
                        .header("Authorization", "Bearer " + platform.engineSecret).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
