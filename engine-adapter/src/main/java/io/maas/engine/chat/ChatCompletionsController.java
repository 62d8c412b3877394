package io.maas.engine.chat;

import io.maas.api.engine.EngineReceipt;
import io.maas.api.openai.ChatCompletion;
import io.maas.api.openai.ChatCompletionRequest;
import io.maas.api.openai.CompletionRequest;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.TextCompletion;
import io.maas.api.openai.Usage;
import io.maas.engine.receipt.Receipt;
import io.maas.engine.receipt.Receipts;
import io.maas.engine.runtime.Engine;
import io.maas.engine.runtime.EngineException;
import io.maas.engine.runtime.FinishReason;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.runtime.ManagedEngine;
import io.maas.engine.runtime.RequestGate;
import io.maas.engine.status.EngineStats;
import io.maas.engine.system.RequestIds;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions} (FIM: {@code prompt} and {@code suffix}), streamed
 * or not. The completion id is {@code chatcmpl-<request id>} ({@code cmpl-<request id>} for FIM),
 * the request id being the gateway's {@code X-Request-Id} (echoed back) or a new one; the request's
 * receipt is kept under the same id. Each request is logged once at INFO, without its text. Requests
 * pass the {@link RequestGate} (503 while the adapter drains) and are counted in {@link EngineStats}.
 */
@RestController
class ChatCompletionsController {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsController.class);

    private final ManagedEngine engines;
    private final Receipts receipts;
    private final RequestGate gate;
    private final EngineStats stats;
    private final JsonMapper json;

    ChatCompletionsController(ManagedEngine engines, Receipts receipts, RequestGate gate, EngineStats stats,
            JsonMapper json) {
        this.engines = engines;
        this.receipts = receipts;
        this.gate = gate;
        this.stats = stats;
        this.json = json;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ChatCompletion> complete(@RequestBody ChatCompletionRequest body,
            @RequestHeader(name = RequestId.HEADER, required = false) String requestIdHeader,
            HttpServletResponse response) throws IOException, InterruptedException {
        String requestId = RequestIds.resolve(requestIdHeader);
        RequestGate.Ticket ticket = gate.admit();
        try {
            Engine engine = engines.ready();
            String model = engine.model().name();
            var call = new Call(engine, ChatRequests.toGeneration(body, model), requestId, "chatcmpl-" + requestId, model,
                    body.isStream(), body.includeUsage(), false, receipts.now().getEpochSecond());
            return admitted(call, response, (collected, generation) -> new ChatCompletion(call.id(), ChatCompletion.OBJECT,
                    call.created(), model, List.of(new ChatCompletion.Choice(0, collected.message(),
                    generation.finishReason().wireName())), usage(generation)));
        } finally {
            ticket.close();
        }
    }

    /** FIM: the text between {@code prompt} and {@code suffix}, through the engine's infill. */
    @PostMapping(path = "/v1/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TextCompletion> fillIn(@RequestBody CompletionRequest body,
            @RequestHeader(name = RequestId.HEADER, required = false) String requestIdHeader,
            HttpServletResponse response) throws IOException, InterruptedException {
        String requestId = RequestIds.resolve(requestIdHeader);
        RequestGate.Ticket ticket = gate.admit();
        try {
            Engine engine = engines.ready();
            String model = engine.model().name();
            var call = new Call(engine, ChatRequests.toInfill(body, model), requestId, "cmpl-" + requestId, model,
                    body.isStream(), body.includeUsage(), true, receipts.now().getEpochSecond());
            return admitted(call, response, (collected, generation) -> new TextCompletion(call.id(), TextCompletion.OBJECT,
                    call.created(), model, List.of(new TextCompletion.Choice(0, collected.text(),
                    generation.finishReason().wireName())), usage(generation)));
        } finally {
            ticket.close();
        }
    }

    /** One request to the engine: {@code text} for a FIM completion's shapes. */
    private record Call(Engine engine, GenerationRequest request, String requestId, String id, String model, boolean stream,
                        boolean includeUsage, boolean text, long created) {
    }

    /** The whole answer built from what was collected. */
    private interface Answer<T> {
        T of(CollectedResponse collected, Generation generation);
    }

    private <T> ResponseEntity<T> admitted(Call call, HttpServletResponse response, Answer<T> answer)
            throws IOException, InterruptedException {
        Engine engine = call.engine();
        String requestId = call.requestId();
        String model = call.model();
        GenerationRequest request = call.request();
        Receipt receipt = receipts.open(requestId);
        long start = System.nanoTime();
        Generation generation = null;
        try {
            if (call.stream()) {
                StreamingResponse stream = new StreamingResponse(response, json, requestId, call.id(), model, call.created(),
                        receipt, call.text());
                try {
                    generation = generate(engine, request, stream, receipt);
                } catch (EngineException e) {
                    if (!stream.fail(e.getMessage())) {
                        throw e;
                    }
                    log.error("Engine failure while streaming: {}", e.getMessage(), e);
                    return null;
                }
                if (generation.finishReason() != FinishReason.CANCELLED) {
                    finishStream(stream, generation, call.includeUsage());
                }
                return null;
            }
            CollectedResponse collected = new CollectedResponse(receipt);
            generation = generate(engine, request, collected, receipt);
            return ResponseEntity.ok().header(RequestId.HEADER, requestId).body(answer.of(collected, generation));
        } finally {
            log.info("request id={} model={} stream={} fim={} prompt_tokens={} cached_tokens={} completion_tokens={} "
                            + "finish={} state={} duration_ms={}", requestId, model, call.stream(), call.text(),
                    generation == null ? 0 : generation.promptTokens(),
                    generation == null ? 0 : generation.cachedPromptTokens(),
                    generation == null ? 0 : generation.completionTokens(),
                    generation == null ? "-" : generation.finishReason().wireName(), receipt.state(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /** Runs the generation, counted in the engine's stats, and settles the receipt whatever happens. */
    private Generation generate(Engine engine, GenerationRequest request, GenerationListener listener,
            Receipt receipt) throws InterruptedException {
        try (EngineStats.Observation observed = stats.observe(listener)) {
            Generation generation = engine.generate(request, observed);
            observed.finished(generation);
            receipt.settle(generation.finishReason() == FinishReason.CANCELLED ? EngineReceipt.State.CANCELLED
                    : EngineReceipt.State.COMPLETED, usage(generation), receipts.now());
            return generation;
        } catch (RuntimeException | InterruptedException e) {
            receipt.settle(EngineReceipt.State.FAILED, receipt.usage(), receipts.now());
            throw e;
        }
    }

    private void finishStream(StreamingResponse stream, Generation generation, boolean includeUsage) {
        try {
            stream.finish(generation.finishReason().wireName(), usage(generation), includeUsage);
        } catch (IOException e) {
            log.debug("Client went away before the end of the stream: {}", e.getMessage());
        }
    }

    private static Usage usage(Generation generation) {
        return Usage.of(generation.cachedPromptTokens(), generation.uncachedPromptTokens(),
                generation.completionTokens(), generation.reasoningTokens());
    }
}
