package io.maas.gateway.relay;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import io.maas.api.openai.Usage;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.admission.Admission;
import io.maas.gateway.admission.Admitter;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.RequestJournal;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.metrics.GatewayMetrics;
import io.maas.gateway.routing.ModelRoutes;
import io.maas.gateway.routing.Router;
import io.maas.pricing.PriceClass;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request's way through the gateway, whatever API it came in by (chat completions, FIM completions,
 * Anthropic's messages, a batch line): resolve the model, admit (limits checked and the worst case reserved,
 * {@link Admitter}), journal, call an engine (picked, and waited for in the model's queue while every engine is
 * full, by the {@link Router}), relay the answer to an {@link AnswerSink}, then settle.
 *
 * <p><b>Guarantees.</b> The usage record is written before the sink receives the end of the answer
 * ({@link AnswerSink#completed}, {@link AnswerSink#answer}), and the reservation is settled to the engine's count
 * after it. Work an engine did is always billed: an answer without usage, an answer cut off at the request's
 * deadline or idle timeout ({@link EngineWatch}), an engine that got the request and never answered, all settle
 * from the engine's receipt. Every other way out (engine refusing or unreachable, a failure of the gateway)
 * releases the reservation in a {@code finally}, so none outlives its request.
 *
 * <p><b>Use.</b> A controller takes {@link #hold} for the key's concurrency and the body's bytes before it reads
 * the body, parses it ({@link RequestParser}), and calls {@link #run}; refusals are thrown as {@link ApiException}
 * (carrying the request id header, and the rate-limit headers once admitted), so a controller answers them in its
 * own API's error shape.
 */
@Component
public class ChatPipeline {

    private static final Logger log = LoggerFactory.getLogger(ChatPipeline.class);

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

    ChatPipeline(ModelRoutes routes, EngineClient engines, StreamRelay relay, UsageRecorder recorder, Admitter admitter,
                 RequestJournal journal, EngineWatch watch, BodyBudget bodies, JsonMapper json, Clock clock,
                 GatewayProperties properties, GatewayMetrics metrics) {
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
        this.metrics = metrics;
    }

    /** The key's place among its concurrent requests and the body's bytes, held until {@link #close}. */
    public static final class Held implements AutoCloseable {

        private final Admitter.Entry entry;
        private final BodyBudget.Held body;

        private Held(Admitter.Entry entry, BodyBudget.Held body) {
            this.entry = entry;
            this.body = body;
        }

        @Override
        public void close() {
            try {
                body.close();
            } finally {
                entry.close();
            }
        }
    }

    /**
     * Enters the key's concurrency limit and takes a body of {@code declaredLength} bytes ({@code -1}: unknown)
     * from the gateway's budget, before the body is read; refuses (429, 503) when either is used up.
     */
    public Held hold(CallerKey caller, long declaredLength) {
        Admitter.Entry entry = admitter.enter(caller);
        try {
            return new Held(entry, bodies.take(declaredLength));
        } catch (RuntimeException refused) {
            entry.close();
            throw refused;
        }
    }

    /** What is known of a request from the moment an engine accepted it. */
    private record Accepted(CallerKey caller, String requestId, ModelRoutes.Route route, EngineClient.EngineCall call,
                            boolean stream, Instant startedAt, long startedNanos, Admission admission, PriceClass priceClass) {
    }

    /**
     * Runs {@code chat} for {@code caller} to its end, delivering the answer to {@code sink} (see its javadoc for
     * the order of calls).
     *
     * @throws ApiException a refusal while nothing was delivered (unknown model, a limit, no engine, an engine's 4xx,
     *                      a broken whole answer), with the request id header
     * @throws IOException  the sink failed to deliver a whole answer (the client left); it is recorded regardless
     */
    public void run(CallerKey caller, String requestId, ChatRequest chat, AnswerSink sink) throws IOException {
        run(caller, requestId, chat, PriceClass.ONLINE, sink);
    }

    /** {@link #run(CallerKey, String, ChatRequest, AnswerSink)}, its usage priced in {@code priceClass} (a batch's line: batch). */
    public void run(CallerKey caller, String requestId, ChatRequest chat, PriceClass priceClass, AnswerSink sink) throws IOException {
        try {
            admitted(caller, requestId, chat, priceClass, sink);
        } catch (ApiException refused) {
            throw refused.withHeader(RequestId.HEADER, requestId); // a refused request can be quoted to support too
        }
    }

    private void admitted(CallerKey caller, String requestId, ChatRequest chat, PriceClass priceClass, AnswerSink sink)
            throws IOException {
        ModelRoutes.Route route = routes.resolve(chat.model(), caller);
        Instant admittedAt = clock.instant();
        long admittedNanos = System.nanoTime();
        Admission admission = admitter.admit(caller, chat.demand(requestId, priceClass), admittedAt);
        try {
            var headers = new LinkedHashMap<>(admission.headers());
            headers.put(RequestId.HEADER, requestId);
            sink.admitted(headers);
            // on the wall clock the engine client and the watch compare with (the injected clock is the billing clock)
            Instant endsAt = Instant.now().plus(deadline);
            journal.open(new RequestJournal.Entry(requestId, caller.tenantId(), caller.keyId(), route.model(), route.endpoints(),
                    chat.stream(), admittedAt, priceClass));
            var waiting = new Waiting(sink);
            var routing = new Router.Request(requestId, caller.tenantId(), chat.prompt(), chat.stream() ? waiting : Router.Waiting.SILENT);
            EngineClient.EngineCall sent;
            try {
                sent = engines.call(route, chat.api(), routing, json.writeValueAsBytes(chat.engineBody(admission.outputCap())), endsAt);
            } catch (EngineClient.SentWithoutAnswer lost) {
                var call = new EngineClient.EngineCall(lost.lease(), InputStream.nullInputStream());
                var accepted = new Accepted(caller, requestId, route, call, chat.stream(), admittedAt, admittedNanos, admission,
                        priceClass);
                engines.finalUsage(lost.lease().endpoint(), requestId, receiptWait)
                        .ifPresent(usage -> settle(accepted, usage, Outcome.ENGINE_ERROR, 0));
                waiting.refuse(lost.answer());
                return;
            } catch (ApiException refused) {
                waiting.refuse(refused);
                return;
            }
            var call = new EngineClient.EngineCall(sent.lease(), watch.watch(sent.body(), endsAt, chat.stream(), requestId));
            try {
                var accepted = new Accepted(caller, requestId, route, call, chat.stream(), admittedAt, admittedNanos, admission,
                        priceClass);
                if (chat.stream()) {
                    stream(accepted, chat.clientWantsUsage(), sink);
                } else {
                    once(accepted, sink);
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

    /**
     * A queued stream tells its sink at once (its answer has begun), and keeps it told while it waits; a refusal
     * after that goes to the sink, before it is thrown.
     */
    private static final class Waiting implements Router.Waiting {

        private final AnswerSink sink;
        private boolean queued;

        Waiting(AnswerSink sink) {
            this.sink = sink;
        }

        @Override
        public void queued() throws IOException {
            queued = true;
            sink.queued();
        }

        @Override
        public void keepAlive() throws IOException {
            sink.keepAlive();
        }

        void refuse(ApiException refusal) {
            if (!queued) {
                throw refusal;
            }
            sink.refused(refusal);
        }
    }

    private void stream(Accepted accepted, boolean clientWantsUsage, AnswerSink sink) throws IOException {
        sink.streamStarted();
        StreamRelay.Result result = relay.relay(accepted.call().body(), sink, clientWantsUsage);
        if (result.outcome() == Outcome.ENGINE_ERROR) {
            accepted.call().lease().fault();
        }
        Usage usage = result.outcome() == Outcome.COMPLETED && result.usage() != null
                ? result.usage()
                : engineCount(accepted, result.usage(), result.tokensRelayed());
        settle(accepted, usage, result.outcome(), result.firstEventNanos());
        switch (result.outcome()) {
            case COMPLETED -> {
                try {
                    sink.completed(usage.consistent());
                } catch (IOException e) {
                    log.debug("Client of request {} left before the end of the stream", accepted.requestId());
                }
            }
            case ENGINE_ERROR -> sink.broken(new ApiException(ApiError.ENGINE_ERROR,
                    "The engine serving '" + accepted.route().model() + "' broke off the answer. Retry the request."));
            case CLIENT_CANCELLED -> { }
        }
    }

    private void once(Accepted accepted, AnswerSink sink) throws IOException {
        byte[] answer;
        JsonNode tree;
        Usage usage;
        try (InputStream body = accepted.call().body()) {
            answer = body.readAllBytes();
            tree = json.readTree(answer);
            JsonNode reported = tree.get("usage");
            usage = reported == null || reported.isNull() ? null : json.treeToValue(reported, Usage.class);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            accepted.call().lease().fault();
            settle(accepted, engineCount(accepted, null, 0), Outcome.ENGINE_ERROR, 0);
            throw new ApiException(ApiError.ENGINE_ERROR, "The engine serving '" + accepted.route().model()
                    + "' sent a broken answer. Retry the request.");
        }
        Usage billed = settle(accepted, usage != null ? usage : engineCount(accepted, null, 0), Outcome.COMPLETED, 0);
        sink.answer(answer, tree, billed);
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
     * Records {@code reported} (made consistent: cache hits at most the prompt) and settles the reservations with it;
     * returns what was recorded. {@code firstEventNanos}: when the first event reached a streaming client
     * ({@link System#nanoTime()}), 0 when none did.
     */
    private Usage settle(Accepted accepted, Usage reported, Outcome outcome, long firstEventNanos) {
        Usage usage = reported.consistent();
        if (usage != reported) {
            log.warn("request={}: the engine reported an inconsistent usage {}; billed as {}", accepted.requestId(), reported, usage);
        }
        Instant completedAt = clock.instant();
        long endNanos = System.nanoTime();
        recorder.record(new UsageRecord(accepted.requestId(), accepted.caller().tenantId(), accepted.caller().keyId(),
                accepted.route().model(), accepted.call().endpoint(), accepted.stream(), usage,
                accepted.startedAt(), completedAt, outcome, new UsageRecord.Placement(accepted.route().deploymentId(),
                accepted.call().lease().replicaId(), accepted.route().catalogModel(), accepted.call().lease().queued().toMillis()),
                accepted.priceClass()));
        accepted.admission().settle(usage.cacheHitTokens() + usage.cacheMissTokens() + usage.completionTokens());
        metrics.finished(accepted.route().model(), accepted.call().endpoint().toString(), outcome.name().toLowerCase(Locale.ROOT),
                accepted.caller().tenantId(), usage.promptTokens(), usage.cacheHitTokens(), usage.completionTokens(),
                firstEventNanos == 0 ? null : Duration.ofNanos(firstEventNanos - accepted.startedNanos()),
                firstEventNanos == 0 ? null : Duration.ofNanos(endNanos - firstEventNanos));
        log.info("request={} key={} model={} engine={} stream={} outcome={} prompt={} cached={} completion={} ms={}",
                accepted.requestId(), accepted.caller().prefix(), accepted.route().model(), accepted.call().endpoint(),
                accepted.stream(), outcome, usage.promptTokens(), usage.cacheHitTokens(), usage.completionTokens(),
                Duration.between(accepted.startedAt(), completedAt).toMillis());
        return usage;
    }
}
