package io.maas.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An engine adapter stand-in that speaks the real protocol (OpenAI JSON and SSE, the receipt
 * endpoint) and behaves as the last user message says, to drive the gateway through failures a real
 * engine cannot be made to produce on demand: {@code ok}, {@code break} (the stream stops mid-way),
 * {@code fail} (HTTP 500), {@code too-long} (400 context_length_exceeded), and any content starting with
 * {@code slow} (streams {@value #SLOW_CHUNKS} chunks {@value #SLOW_GAP_MS} ms apart, then usage 7 + {@value #SLOW_CHUNKS}),
 * {@code stall} (one chunk, then 3 s of silence), {@code keep-alive-forever} (one chunk, then only comments),
 * {@code late} (answers after {@value #LATE_MS} ms), {@code no-usage} and {@code cached-over-prompt} (an answer
 * without usage, or with more cached tokens than prompt tokens), {@code tool-call} (a call of {@code get_weather} with
 * {@code {"location":"Paris"}}, whole or streamed in two argument fragments, finish reason {@code tool_calls}). Receipts report usage 7 + 2 for any id.
 * Every request id that reached it is kept, and the most requests it ran at once per content.
 */
final class ScriptedEngine implements AutoCloseable {

    static final int SLOW_CHUNKS = 10;
    static final int SLOW_GAP_MS = 50;
    static final int LATE_MS = 3000;

    private final HttpServer server;
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();
    final List<String> requestBodies = new CopyOnWriteArrayList<>();
    final Map<String, String> requestIds = new ConcurrentHashMap<>();
    /** Request ids whose stream the gateway closed while the engine was still at work. */
    final Set<String> cutOff = ConcurrentHashMap.newKeySet();

    ScriptedEngine() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/completions", this::fim);
        server.createContext("/engine/requests/", this::receipt);
        server.createContext("/health", this::health);
        server.start();
    }

    /** A started engine; tests hold it in a field. */
    static ScriptedEngine start() {
        try {
            return new ScriptedEngine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A started engine, for static fields of test classes. */
    static ScriptedEngine started() {
        try {
            return new ScriptedEngine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void chat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requestBodies.add(body);
        String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
        String script = body.replaceAll("(?s).*\"content\":\"([^\"]*)\".*", "$1");
        requestIds.put(script, id);
        seen.add(id);
        boolean stream = body.contains("\"stream\":true");
        if (script.startsWith("slow")) {
            int now = running.computeIfAbsent(script, s -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.computeIfAbsent(script, s -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                slow(exchange, id);
            } finally {
                running.get(script).decrementAndGet();
            }
            return;
        }
        switch (script) {
            case "stall", "keep-alive-forever" -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    event(out, "data: " + chunk(id, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
                    for (int i = 0; i < 600; i++) {
                        Thread.sleep(100);
                        if (script.equals("keep-alive-forever") || i >= 30) { // a stall is silent for 3 s, then probes the connection
                            event(out, ": keep-alive");
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    cutOff.add(id);
                }
            }
            case "late" -> {
                try {
                    Thread.sleep(LATE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, "application/json", completion(id, usage(7, 2)));
            }
            case "no-usage" -> send(exchange, 200, "application/json", completion(id, null));
            case "cached-over-prompt" -> send(exchange, 200, "application/json", completion(id,
                    "{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9,\"prompt_tokens_details\":{\"cached_tokens\":9}}"));
            case "tool-call" -> toolCall(exchange, id, stream);
            case "fail" -> send(exchange, 500, "application/json", "{\"error\":{\"message\":\"CUDA error: an illegal memory access\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            case "too-long" -> send(exchange, 400, "application/json", "{\"error\":{\"message\":\"This model's maximum context length is 512 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}");
            default -> {
                if (!stream) {
                    send(exchange, 200, "application/json", completion(id, usage(7, 2)));
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    event(out, ": keep-alive");
                    event(out, "data: " + chunk(id, "{\"role\":\"assistant\",\"reasoning_content\":\"think\"}", null));
                    event(out, "data: " + chunk(id, "{\"content\":\"Hello\"}", null));
                    if (script.equals("break")) {
                        return;
                    }
                    event(out, "data: " + chunk(id, "{\"content\":\" there\"}", "\"stop\""));
                    event(out, "data: {\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"scripted\",\"choices\":[],\"usage\":" + usage(7, 3) + "}");
                    event(out, "data: [DONE]");
                }
            }
        }
    }

    private static void toolCall(HttpExchange exchange, String id, boolean stream) throws IOException {
        String call = "{\"index\":0,\"id\":\"call_" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",";
        if (!stream) {
            send(exchange, 200, "application/json", "{\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion\",\"created\":1,"
                    + "\"model\":\"scripted\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                    + "\"tool_calls\":[" + call + "\"arguments\":\"{\\\"location\\\":\\\"Paris\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
                    + "\"usage\":" + usage(7, 2) + "}");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, "data: " + chunk(id, "{\"role\":\"assistant\",\"tool_calls\":[" + call + "\"arguments\":\"\"}}]}", null));
            event(out, "data: " + chunk(id, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]}", null));
            event(out, "data: " + chunk(id, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null));
            event(out, "data: " + chunk(id, "{}", "\"tool_calls\""));
            event(out, "data: {\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"scripted\",\"choices\":[],\"usage\":" + usage(7, 5) + "}");
            event(out, "data: [DONE]");
        }
    }

    private void slow(HttpExchange exchange, String id) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, "data: " + chunk(id, "{\"role\":\"assistant\"}", null));
            for (int i = 0; i < SLOW_CHUNKS; i++) {
                Thread.sleep(SLOW_GAP_MS);
                event(out, "data: " + chunk(id, "{\"content\":\"t" + i + "\"}", i == SLOW_CHUNKS - 1 ? "\"stop\"" : null));
            }
            event(out, "data: {\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"scripted\",\"choices\":[],\"usage\":" + usage(7, SLOW_CHUNKS) + "}");
            event(out, "data: [DONE]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the gateway went away (its client disconnected): stop, as a real engine aborts
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
    }

    /** FIM ({@code /v1/completions}): {@code text_completion} answers, whole or streamed, with usage 7 + 2. */
    private void fim(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requestBodies.add(body);
        String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
        seen.add(id);
        String text = "{\"id\":\"cmpl-" + id + "\",\"object\":\"text_completion\",\"created\":1,\"model\":\"scripted\",\"choices\":";
        if (!body.contains("\"stream\":true")) {
            send(exchange, 200, "application/json", text + "[{\"index\":0,\"text\":\"x = 1\",\"finish_reason\":\"stop\"}],\"usage\":"
                    + usage(7, 2) + "}");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, "data: " + text + "[{\"index\":0,\"text\":\"x = \",\"finish_reason\":null}]}");
            event(out, "data: " + text + "[{\"index\":0,\"text\":\"1\",\"finish_reason\":\"stop\"}]}");
            event(out, "data: " + text + "[],\"usage\":" + usage(7, 2) + "}");
            event(out, "data: [DONE]");
        }
    }

    private void receipt(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/engine/requests/".length());
        send(exchange, 200, "application/json", "{\"id\":\"" + id + "\",\"state\":\"failed\",\"usage\":" + usage(7, 2) + "}");
    }

    /** A non-streamed answer; {@code usage} null: without one. */
    private static String completion(String id, String usage) {
        return "{\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"scripted\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\",\"reasoning_content\":\"hm\"},\"finish_reason\":\"stop\"}]"
                + (usage == null ? "" : ",\"usage\":" + usage) + "}";
    }

    static String usage(int prompt, int completion) {
        return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion)
                + ",\"prompt_cache_hit_tokens\":4,\"prompt_cache_miss_tokens\":" + (prompt - 4) + "}";
    }

    private static String chunk(String id, String delta, String finish) {
        return "{\"id\":\"chatcmpl-" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"scripted\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
    }

    private static void event(OutputStream out, String line) throws IOException {
        out.write((line + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
