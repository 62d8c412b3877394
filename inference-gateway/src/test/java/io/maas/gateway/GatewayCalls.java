package io.maas.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP calls to a gateway under test, as a client without an SDK makes them. */
final class GatewayCalls {

    private final HttpClient http = HttpClient.newHttpClient();

    /** {@code key} may be null (no Authorization header); {@code body} null sends none. */
    HttpResponse<String> send(int port, String method, String path, String key, String body) {
        return sendWith(port, method, path, key == null ? Map.of() : Map.of("Authorization", "Bearer " + key), body);
    }

    /** With {@code headers} (and a JSON content type); {@code body} null sends none. */
    HttpResponse<String> sendWith(int port, String method, String path, Map<String, String> headers, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
