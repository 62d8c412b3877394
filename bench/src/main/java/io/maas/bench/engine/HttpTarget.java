package io.maas.bench.engine;

import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A streamed {@code POST /v1/chat/completions} over HTTP, as a client sees it. */
final class HttpTarget implements Target {

    private static final Pattern CONTENT = Pattern.compile("\"content\":\"(?!\")");
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\":(\\d+)");

    private final String name;
    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpTarget(String name, URI base, String apiKey, String model) {
        this.name = name;
        this.endpoint = base.resolve("/v1/chat/completions");
        this.apiKey = apiKey;
        this.model = model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Sample run(String prompt, int maxTokens, long seed) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"max_tokens\":" + maxTokens + ",\"seed\":" + seed
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        var request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        long first = 0;
        long tokens = -1;
        try (SseReader events = new SseReader(response.body())) {
            SseEvent event;
            while ((event = events.next()) != null && !event.isDone()) {
                if (event.data() == null) {
                    continue;
                }
                if (first == 0 && CONTENT.matcher(event.data()).find()) {
                    first = System.nanoTime();
                }
                Matcher usage = COMPLETION_TOKENS.matcher(event.data());
                if (usage.find()) {
                    tokens = Long.parseLong(usage.group(1));
                }
            }
        }
        long end = System.nanoTime();
        if (tokens < 0) {
            throw new IllegalStateException(name + " sent no usage");
        }
        return new Sample((first == 0 ? end : first) - start, end - start, tokens);
    }
}
