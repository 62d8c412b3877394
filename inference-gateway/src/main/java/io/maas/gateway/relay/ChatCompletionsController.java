package io.maas.gateway.relay;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseWriter;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.admission.Admission;
import io.maas.gateway.admission.AdmissionProperties;
import io.maas.gateway.admission.Admitter;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.RequestJournal;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.metrics.GatewayMetrics;
import io.maas.gateway.routing.ModelRoutes;
import io.maas.gateway.routing.PromptBlocks;
import io.maas.gateway.routing.Router;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions}: parse and validate, resolve the model, admit (limits checked and
 * the worst case reserved, {@link Admitter}), call an engine (picked, and waited for in the model's
 * queue while every engine is full, by the {@link Router}), relay, then settle: the usage record is
 * written before the client receives the end of the response, and the reservation is settled to the
 * engine's count after it. Work an engine did is always billed: an answer without usage, an answer cut
 * off at the request's deadline or idle timeout ({@link EngineWatch}), an engine that got the request
 * and never answered, all settle from the engine's receipt. Every other way out (engine refusing or
 * unreachable, a failure of the gateway) releases the reservation in a {@code finally}, so none
 * outlives its request.
 */
@RestController
class ChatCompletionsController {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsController.class);

    private final RequestParser parser;
    private final ModelRoutes routes;
    private final EngineClient engines;
    private final StreamRelay relay;
    private final UsageRecorder recorder;
    private final Admitter admitter;
    private final JsonMapper json;
    private final Clock clock;
    private final EngineWatch watch;
    private final BodyBudget bodies;
    private final RequestJournal journal;
    private final Duration receiptWait;
    private final Duration deadline;
    private final GatewayMetrics metrics;

    ChatCompletionsController(RequestParser parser, ModelRoutes routes, EngineClient engines, StreamRelay relay,
                              UsageRecorder recorder, Admitter admitter, RequestJournal journal, EngineWatch watch,
                              BodyBudget bodies, JsonMapper json, Clock clock, GatewayProperties properties,
                              AdmissionProperties admission, GatewayMetrics metrics) {
        this.parser = parser;
        this.routes = routes;
        this.engines = engines;
        this.relay = relay;
        this.recorder = recorder;
        this.admitter = admitter;
        this.json = json;
        this.clock = clock;
        this.watch = watch;
        this.bodies = bodies;
        this.journal = journal;
        this.receiptWait = properties.receiptWait();
        this.deadline = properties.requestDeadline();
        if (deadline.compareTo(admission.lease()) >= 0) {
            throw new IllegalArgumentException("platform.gateway.request-deadline (" + deadline + ") must be below"
                    + " platform.gateway.admission.lease (" + admission.lease() + "): no request may outlive its reservations");
        }
        this.metrics = metrics;
    }

    /** What is known of a request from the moment an engine accepted it. */
    private record Accepted(CallerKey caller, String requestId, ModelRoutes.Route route,
                            EngineClient.EngineCall call, boolean stream, Instant startedAt, long startedNanos, Admission admission) {
    }

    /** The key's concurrency and the body's bytes are admitted before the body is read, and held until the request ends. */
    @PostMapping("/v1/chat/completions")
    @SuppressWarnings("try") // the resources are held, never referenced
    void create(CallerKey caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "");
        try (Admitter.Entry entry = admitter.enter(caller); BodyBudget.Held body = bodies.take(request.getContentLengthLong())) {
            create(caller, requestId, parser.parse(request.getInputStream(), request.getContentLengthLong()), response);
        } catch (ApiException refused) {
            throw refused.withHeader(RequestId.HEADER, requestId); // a refused request can be quoted to support too
        }
    }

    private void create(CallerKey caller, String requestId, ChatRequest chat, HttpServletResponse response) throws IOException {
        ModelRoutes.Route route = routes.resolve(chat.model(), caller);
        Instant admittedAt = clock.instant();
        long admittedNanos = System.nanoTime();
        Admission admission = admitter.admit(caller, chat.demand(requestId), admittedAt);
        try {
            admission.headers().forEach(response::setHeader);
            response.setHeader(RequestId.HEADER, requestId);
            // on the wall clock the engine client and the watch compare with (the injected clock is the billing clock)
            Instant endsAt = Instant.now().plus(deadline);
            journal.open(new RequestJournal.Entry(requestId, caller.tenantId(), caller.keyId(), route.model(), route.endpoints(),
                    chat.stream(), admittedAt));
            var routing = new Router.Request(requestId, caller.tenantId(), chat.prompt(),
                    chat.stream() ? queuedStream(response) : Router.Waiting.SILENT);
            EngineClient.EngineCall sent;
            try {
                sent = engines.chatCompletions(route, routing, json.writeValueAsBytes(chat.engineBody(admission.outputCap())), endsAt);
            } catch (EngineClient.SentWithoutAnswer lost) {
                var call = new EngineClient.EngineCall(lost.lease(), InputStream.nullInputStream());
                var accepted = new Accepted(caller, requestId, route, call, chat.stream(), admittedAt, admittedNanos, admission);
                engines.finalUsage(lost.lease().endpoint(), requestId, receiptWait)
                        .ifPresent(usage -> settle(accepted, usage, Outcome.ENGINE_ERROR, 0));
                refuse(response, lost.answer());
                return;
            } catch (ApiException refused) {
                refuse(response, refused);
                return;
            }
            var call = new EngineClient.EngineCall(sent.lease(), watch.watch(sent.body(), endsAt, chat.stream(), requestId));
            try {
                var accepted = new Accepted(caller, requestId, route, call, chat.stream(), admittedAt, admittedNanos, admission);
                if (chat.stream()) {
                    stream(accepted, chat.clientWantsUsage(), response);
                } else {
                    once(accepted, response);
                }
            } finally {
                call.lease().close();
            }
        } finally {
            if (admission.release()) {
                journal.discard(requestId); // it did not run: nothing for the sweeper to bill
            }
        }
    }

    private static void startStream(HttpServletResponse response) {
        if (response.isCommitted()) {
            return; // sent while the request was queued
        }
        response.setStatus(200);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
    }

    /** A queued stream gets its headers at once and {@code : keep-alive} while it waits, as DeepSeek's API does. */
    private static Router.Waiting queuedStream(HttpServletResponse response) {
        return new Router.Waiting() {
            @Override
            public void queued() throws IOException {
                startStream(response);
                response.flushBuffer();
            }

            @Override
            public void keepAlive() throws IOException {
                new SseWriter(response.getOutputStream()).keepAlive();
            }
        };
    }

    /**
     * Tells the client its request was refused: as the answer while nothing was sent, else (a queued stream, whose
     * headers are sent) as an error event that ends the stream.
     */
    private void refuse(HttpServletResponse response, ApiException refused) {
        if (!response.isCommitted()) {
            throw refused;
        }
        try {
            new SseWriter(response.getOutputStream()).data(json.writeValueAsString(refused.error().response(refused.getMessage(),
                    refused.param())));
        } catch (IOException e) {
            log.debug("Client left before it was told its queued request failed: {}", e.getMessage());
        }
    }

    private void stream(Accepted accepted, boolean clientWantsUsage, HttpServletResponse response) throws IOException {
        startStream(response);
        var client = new SseWriter(response.getOutputStream());
        StreamRelay.Result result = relay.relay(accepted.call().body(), client, clientWantsUsage);
        if (result.outcome() == Outcome.ENGINE_ERROR) {
            accepted.call().lease().fault();
        }
        Usage usage = result.outcome() == Outcome.COMPLETED && result.usage() != null
                ? result.usage()
                : engineCount(accepted, result.usage(), result.tokensRelayed());
        settle(accepted, usage, result.outcome(), result.firstEventNanos());
        try {
            switch (result.outcome()) {
                case COMPLETED -> client.done();
                case ENGINE_ERROR -> relay.engineFailed(client, accepted.route().model());
                case CLIENT_CANCELLED -> { }
            }
        } catch (IOException e) {
            log.debug("Client of request {} left before the end of the stream", accepted.requestId());
        }
    }

    private void once(Accepted accepted, HttpServletResponse response) throws IOException {
        byte[] answer;
        Usage usage;
        try (InputStream body = accepted.call().body()) {
            answer = body.readAllBytes();
            JsonNode reported = json.readTree(answer).get("usage");
            usage = reported == null || reported.isNull() ? null : json.treeToValue(reported, Usage.class);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            accepted.call().lease().fault();
            settle(accepted, engineCount(accepted, null, 0), Outcome.ENGINE_ERROR, 0);
            throw new ApiException(ApiError.ENGINE_ERROR, "The engine serving '" + accepted.route().model()
                    + "' sent a broken answer. Retry the request.");
        }
        settle(accepted, usage != null ? usage : engineCount(accepted, null, 0), Outcome.COMPLETED, 0);
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /**
     * The engine's own count for a request that did not end normally. When the engine cannot say
     * (it is gone), the usage it last reported is kept, else the tokens relayed are its completion
     * tokens (the role chunk and an error event are none) and the prompt is unknown (zero); the log says so.
     */
    private Usage engineCount(Accepted accepted, Usage lastReported, long tokensRelayed) {
        return engines.finalUsage(accepted.call().endpoint(), accepted.requestId(), receiptWait).orElseGet(() -> {
            log.warn("No engine count for request {}; recording {}", accepted.requestId(),
                    lastReported != null ? "the last usage it reported" : tokensRelayed + " relayed tokens as completion tokens");
            return lastReported != null ? lastReported : Usage.of(0, 0, tokensRelayed, 0);
        });
    }

    /**
     * Records {@code reported} (made consistent: cache hits at most the prompt) and settles the reservations with it.
     * {@code firstEventNanos}: when the first event reached a streaming client ({@link System#nanoTime()}), 0 when none did.
     */
    private void settle(Accepted accepted, Usage reported, Outcome outcome, long firstEventNanos) {
        Usage usage = reported.consistent();
        if (usage != reported) {
            log.warn("request={}: the engine reported an inconsistent usage {}; billed as {}", accepted.requestId(), reported, usage);
        }
        Instant completedAt = clock.instant();
        long endNanos = System.nanoTime();
        recorder.record(new UsageRecord(accepted.requestId(), accepted.caller().tenantId(), accepted.caller().keyId(),
                accepted.route().model(), accepted.call().endpoint(), accepted.stream(), usage,
                accepted.startedAt(), completedAt, outcome, new UsageRecord.Placement(accepted.route().deploymentId(),
                accepted.call().lease().replicaId(), accepted.route().catalogModel(), accepted.call().lease().queued().toMillis())));
        accepted.admission().settle(usage.cacheHitTokens() + usage.cacheMissTokens() + usage.completionTokens());
        metrics.finished(accepted.route().model(), accepted.call().endpoint().toString(), outcome.name().toLowerCase(Locale.ROOT),
                accepted.caller().tenantId(), usage.promptTokens(), usage.cacheHitTokens(), usage.completionTokens(),
                firstEventNanos == 0 ? null : Duration.ofNanos(firstEventNanos - accepted.startedNanos()),
                firstEventNanos == 0 ? null : Duration.ofNanos(endNanos - firstEventNanos));
        log.info("request={} key={} model={} engine={} stream={} outcome={} prompt={} cached={} completion={} ms={}",
                accepted.requestId(), accepted.caller().prefix(), accepted.route().model(), accepted.call().endpoint(),
                accepted.stream(), outcome, usage.promptTokens(), usage.cacheHitTokens(), usage.completionTokens(),
                Duration.between(accepted.startedAt(), completedAt).toMillis());
    }
}
