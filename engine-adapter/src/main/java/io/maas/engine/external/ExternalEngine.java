package io.maas.engine.external;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatCompletionChunk;
import io.maas.api.openai.ChatCompletionRequest;
import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.CompletionRequest;
import io.maas.api.openai.ErrorResponse;
import io.maas.api.openai.ResponseFormat;
import io.maas.api.openai.StreamOptions;
import io.maas.api.openai.Thinking;
import io.maas.api.openai.ToolCall;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import io.maas.engine.runtime.ChatOptions;
import io.maas.engine.runtime.Engine;
import io.maas.engine.runtime.EngineException;
import io.maas.engine.runtime.EngineLoad;
import io.maas.engine.runtime.EngineUnavailableException;
import io.maas.engine.runtime.FinishReason;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.runtime.ModelInfo;
import io.maas.engine.runtime.TokenEstimate;
import io.maas.engine.status.PrometheusSamples;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relays generations to the supervised engine process over HTTP, always streamed and always with
 * {@code stream_options.include_usage}, whatever the client asked: every token reaches the listener
 * as it comes, so receipts stay current even if the process dies mid-stream.
 *
 * <p>Counting: until the engine's own usage arrives at the end of the stream, the prompt is
 * {@link TokenEstimate estimated} and every chunk with text (or a piece of a function call) is one completion token
 * (vLLM sends one per token); the engine's usage, when it sends one, is the final count.
 *
 * <p>Chat options pass through as OpenAI's members ({@code tools}, {@code tool_choice}, {@code parallel_tool_calls},
 * {@code response_format}, {@code thinking}, the penalties): the engine process honours them or refuses them with its
 * own 400, which the client gets. Its {@code delta.tool_calls} come back as function calls. A FIM request goes to the
 * process's {@code /v1/completions} with {@code prompt} and {@code suffix}. Log probabilities are refused here (400):
 * the relay carries text, not the engine's per-token numbers.
 *
 * <p>Failures: while the process is not ready, and when it cannot be reached, requests get
 * {@link EngineUnavailableException} (503, the gateway tries another engine); an error answer of the
 * engine is passed on with its status and message; a stream that ends without {@code [DONE]} is an
 * {@link EngineException} (the process died), after the tokens relayed so far.
 */
final class ExternalEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(ExternalEngine.class);
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(1);

    private final ModelInfo info;
    private final ProcessSupervisor supervisor;
    private final HttpClient http;
    private final JsonMapper json;
    private final URI completions;
    private final URI textCompletions;
    private final URI metrics;
    private final Duration responseTimeout;
    private final int defaultMaxTokens;

    ExternalEngine(ModelInfo info, ProcessSupervisor supervisor, HttpClient http, JsonMapper json,
            ExternalProperties properties, int defaultMaxTokens) {
        this.info = info;
        this.supervisor = supervisor;
        this.http = http;
        this.json = json;
        URI base = URI.create("http://127.0.0.1:" + properties.port());
        this.completions = base.resolve("/v1/chat/completions");
        this.textCompletions = base.resolve("/v1/completions");
        this.metrics = properties.metricsPath().isBlank() ? null : base.resolve(properties.metricsPath());
        this.responseTimeout = properties.responseTimeout();
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    @Override
    public Generation generate(GenerationRequest request, GenerationListener listener) throws InterruptedException {
        if (supervisor.state() != ProcessSupervisor.State.READY) {
            throw new EngineUnavailableException("The engine process is not ready (" + describe()
                    + "); retry shortly or send the request to another engine.");
        }
        if (request.options().logprobs()) {
            throw new ApiException(ApiError.INVALID_REQUEST, "This engine adapter does not relay log probabilities; leave"
                    + " 'logprobs' out.", "logprobs");
        }
        HttpResponse<InputStream> response = send(request);
        if (response.statusCode() != 200) {
            throw refused(response);
        }
        Relay relay = new Relay(TokenEstimate.count(request.infill().present() ? request.infill().prefix() + request.infill().suffix()
                : TokenEstimate.render(request.messages())));
        try (InputStream body = response.body(); SseReader events = new SseReader(body)) {
            return relay.run(events, listener);
        } catch (IOException e) {
            if (relay.cancelled) {
                return relay.generation(FinishReason.CANCELLED);
            }
            throw new EngineException("The engine process broke off the stream (" + e.getMessage() + "); "
                    + relay.tokens + " tokens had been relayed.", e);
        }
    }

    private String describe() {
        String exit = supervisor.lastExit();
        return supervisor.state().name().toLowerCase(java.util.Locale.ROOT)
                + (exit == null ? "" : ", last: " + exit) + ", restarts: " + supervisor.restarts();
    }

    /**
     * Sends the request to the engine process, always with an output cap: the request's, else
     * {@code platform.engine.default-max-tokens} (vLLM and MindIE would otherwise generate up to the context).
     */
    private HttpResponse<InputStream> send(GenerationRequest request) throws InterruptedException {
        int maxTokens = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
        ChatOptions options = request.options();
        List<String> stop = request.stop().isEmpty() ? null : request.stop();
        Object body = request.infill().present()
                ? new CompletionRequest(info.name(), request.infill().prefix(), request.infill().suffix(), true, new StreamOptions(true),
                        maxTokens, request.temperature(), request.topP(), stop, request.seed(), options.presencePenalty(),
                        options.frequencyPenalty(), null)
                : new ChatCompletionRequest(info.name(), request.messages(), true, new StreamOptions(true), maxTokens, null,
                        request.temperature(), request.topP(), stop, request.seed(), null,
                        options.tools().isEmpty() ? null : options.tools(), toolChoice(options),
                        options.tools().isEmpty() || options.parallelToolCalls() ? null : false, responseFormat(options.format()),
                        thinking(options.thinking()), options.presencePenalty(), options.frequencyPenalty(), null, null);
        HttpRequest http = HttpRequest.newBuilder(request.infill().present() ? textCompletions : completions).timeout(responseTimeout)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        try {
            return this.http.send(http, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new EngineUnavailableException("The engine process did not answer (" + e.getMessage()
                    + "); retry shortly or send the request to another engine.");
        }
    }

    private JsonNode toolChoice(ChatOptions options) {
        if (options.tools().isEmpty() || options.toolChoice().equals(ChatOptions.ToolChoice.AUTO)) {
            return null;
        }
        return switch (options.toolChoice().mode()) {
            case AUTO -> null;
            case NONE -> json.getNodeFactory().stringNode("none");
            case REQUIRED -> json.getNodeFactory().stringNode("required");
            case FUNCTION -> {
                var choice = json.createObjectNode().put("type", "function");
                choice.putObject("function").put("name", options.toolChoice().function());
                yield choice;
            }
        };
    }

    private static ResponseFormat responseFormat(ChatOptions.OutputFormat format) {
        return switch (format.kind()) {
            case TEXT -> null;
            case JSON_OBJECT -> new ResponseFormat(ResponseFormat.JSON_OBJECT, null);
            case JSON_SCHEMA -> new ResponseFormat(ResponseFormat.JSON_SCHEMA,
                    new ResponseFormat.JsonSchema("answer", null, format.schema(), null));
        };
    }

    private static Thinking thinking(ChatOptions.Thinking thinking) {
        return switch (thinking) {
            case DEFAULT -> null;
            case ENABLED -> new Thinking(Thinking.ENABLED);
            case DISABLED -> new Thinking(Thinking.DISABLED);
        };
    }

    /** The engine's error answer as the client's: its OpenAI error code when it is one of ours, else by status. */
    private RuntimeException refused(HttpResponse<InputStream> response) {
        String text;
        try (InputStream body = response.body()) {
            text = new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        int status = response.statusCode();
        String message = "The engine answered HTTP " + status + ".";
        ApiError error = ApiError.forStatus(status);
        String param = null;
        try {
            ErrorResponse.Body body = json.readValue(text, ErrorResponse.class).error();
            if (body != null && body.message() != null) {
                message = body.message();
                param = body.param();
                String code = body.code() == null ? "" : body.code();
                error = Arrays.stream(ApiError.values()).filter(e -> e.code().equals(code) && e.status() == status)
                        .findFirst().orElse(error);
            }
        } catch (JacksonException e) {
            log.debug("The engine's error answer is not OpenAI's shape: {}", e.getMessage());
        }
        if (status == 503) {
            return new EngineUnavailableException(message);
        }
        return status >= 500 ? new EngineException("The engine failed: " + message) : new ApiException(error, message, param);
    }

    /** One relayed stream and what was counted of it. */
    private final class Relay {

        private final int estimatedPromptTokens;
        private int tokens;
        private int reasoningTokens;
        private Usage usage;
        private String finishReason;
        private boolean cancelled;

        Relay(int estimatedPromptTokens) {
            this.estimatedPromptTokens = estimatedPromptTokens;
        }

        Generation run(SseReader events, GenerationListener listener) throws IOException {
            try {
                listener.started(estimatedPromptTokens, 0);
            } catch (IOException e) {
                cancelled = true;
                return new Generation(0, 0, 0, FinishReason.CANCELLED);
            }
            SseEvent event;
            while ((event = events.next()) != null) {
                if (event.isDone()) {
                    return generation("length".equals(finishReason) ? FinishReason.LENGTH
                            : "tool_calls".equals(finishReason) ? FinishReason.TOOL_CALLS : FinishReason.STOP);
                }
                if (event.data() != null && !relay(json.readTree(event.data()), listener)) {
                    cancelled = true;
                    return generation(FinishReason.CANCELLED);
                }
            }
            throw new IOException("the stream ended without [DONE]");
        }

        /** Hands a chunk's text (a chat chunk's delta, or a FIM chunk's text) to the listener; false when the listener is gone. */
        private boolean relay(JsonNode node, GenerationListener listener) {
            if (node.has("error")) {
                throw new EngineException("The engine failed during generation: "
                        + node.path("error").path("message").asString("no message"));
            }
            if (node.path("choices").path(0).has("text")) {
                return relayText(node, listener);
            }
            ChatCompletionChunk chunk = json.treeToValue(node, ChatCompletionChunk.class);
            if (chunk.usage() != null) {
                usage = chunk.usage();
            }
            if (chunk.choices() == null || chunk.choices().isEmpty()) {
                return true;
            }
            ChatCompletionChunk.Choice choice = chunk.choices().getFirst();
            if (choice.finishReason() != null) {
                finishReason = choice.finishReason();
            }
            ChatMessage delta = choice.delta();
            try {
                if (delta != null && delta.toolCalls() != null && !delta.toolCalls().isEmpty()) {
                    tokens++;
                    listener.token("");
                    for (ToolCall call : delta.toolCalls()) {
                        ToolCall.Function function = call.function();
                        listener.toolCall(call.index() == null ? 0 : call.index(), call.id(), function == null ? null : function.name(),
                                function == null ? null : function.arguments());
                    }
                }
                if (delta != null && delta.reasoningContent() != null && !delta.reasoningContent().isEmpty()) {
                    tokens++;
                    reasoningTokens++;
                    listener.reasoning(delta.reasoningContent());
                }
                if (delta != null && delta.content() != null && !delta.content().isEmpty()) {
                    tokens++;
                    listener.token(delta.content());
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private boolean relayText(JsonNode node, GenerationListener listener) {
            JsonNode choice = node.path("choices").path(0);
            if (node.hasNonNull("usage")) {
                usage = json.treeToValue(node.get("usage"), Usage.class);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asString();
            }
            String text = choice.path("text").asString("");
            try {
                if (!text.isEmpty()) {
                    tokens++;
                    listener.token(text);
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** The engine's final count when it sent one, else the relay's own. */
        Generation generation(FinishReason reason) {
            if (usage != null && reason != FinishReason.CANCELLED) {
                return new Generation((int) usage.promptTokens(), (int) usage.cacheHitTokens(),
                        (int) usage.completionTokens(), (int) usage.reasoningTokens(), reason);
            }
            return new Generation(estimatedPromptTokens, 0, tokens, reasoningTokens, reason);
        }
    }

    /**
     * The engine's own numbers from its Prometheus metrics when they carry vLLM's names (an engine
     * adapter in front of another engine publishes the same); {@link EngineLoad#UNKNOWN} when there are
     * none or the scrape fails within a second. With several engine cores, gauges of requests and
     * counters are summed and the KV-cache use is their mean; the KV capacity is {@code num_gpu_blocks ×
     * block_size} of {@code vllm:cache_config_info}, summed over the cores (each has its own cache).
     */
    @Override
    public EngineLoad load() {
        if (metrics == null || supervisor.state() != ProcessSupervisor.State.READY) {
            return EngineLoad.UNKNOWN;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(SCRAPE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return EngineLoad.UNKNOWN;
            }
            PrometheusSamples samples = PrometheusSamples.parse(response.body());
            return new EngineLoad(
                    samples.value("vllm:num_requests_running").map(Double::intValue).orElse(null),
                    samples.value("vllm:num_requests_waiting").map(Double::intValue).orElse(null),
                    samples.mean("vllm:kv_cache_usage_perc").or(() -> samples.mean("vllm:gpu_cache_usage_perc"))
                            .map(v -> Math.clamp(v, 0.0, 1.0)).orElse(null),
                    kvCacheTokens(samples),
                    samples.value("vllm:prefix_cache_queries_total").map(Double::longValue).orElse(null),
                    samples.value("vllm:prefix_cache_hits_total").map(Double::longValue).orElse(null));
        } catch (IOException e) {
            log.debug("Could not read the engine's metrics: {}", e.getMessage());
            return EngineLoad.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EngineLoad.UNKNOWN;
        }
    }

    /** Tokens the engine's KV cache holds in all, from vLLM's {@code vllm:cache_config_info}; null when it does not say. */
    private static Long kvCacheTokens(PrometheusSamples samples) {
        long tokens = 0;
        for (Map<String, String> config : samples.labels("vllm:cache_config_info")) {
            try {
                tokens += Long.parseLong(config.getOrDefault("num_gpu_blocks", "")) * Long.parseLong(config.getOrDefault("block_size", ""));
            } catch (NumberFormatException e) { // "None" before the engine profiled its memory
                return null;
            }
        }
        return tokens > 0 ? tokens : null;
    }

    /** Stops the engine process (the supervisor has usually done so already, after the requests drained). */
    @Override
    public void close() {
        supervisor.stop();
    }
}
