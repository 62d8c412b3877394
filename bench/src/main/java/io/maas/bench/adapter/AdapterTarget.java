package io.maas.bench.adapter;

import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** The engine adapter over loopback HTTP: a streamed request with usage, read event by event as a client would. */
final class AdapterTarget implements Target {

    private final URI endpoint;
    private final String model;
    private final int maxTokens;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    AdapterTarget(URI base, String model, int maxTokens) {
        this.endpoint = base.resolve("/v1/chat/completions");
        this.model = model;
        this.maxTokens = maxTokens;
    }

    @Override
    public String name() {
        return "adapter → simulator (HTTP)";
    }

    @Override
    public Sample run(int request) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"max_tokens\":" + maxTokens + ",\"seed\":" + request
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + AdapterBench.prompt(request) + "\"}]}";
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the adapter answered HTTP " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long first = 0;
        long last = 0;
        int tokens = 0;
        try (SseReader events = new SseReader(response.body())) {
            SseEvent event;
            while ((event = events.next()) != null && !event.isDone()) {
                if (event.data() != null && event.data().contains("\"content\":\"") && !event.data().contains("\"content\":\"\"")) {
                    last = System.nanoTime();
                    first = first == 0 ? last : first;
                    tokens++;
                }
            }
        }
        return new Sample(first - start, last - first, tokens);
    }
}
