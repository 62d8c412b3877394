package io.maas.engine.simulated;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatTool;
import io.maas.engine.runtime.ChatOptions;
import io.maas.engine.runtime.ContextLengthExceededException;
import io.maas.engine.runtime.Engine;
import io.maas.engine.runtime.EngineLoad;
import io.maas.engine.runtime.EngineUnavailableException;
import io.maas.engine.runtime.FinishReason;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.runtime.ModelInfo;
import io.maas.engine.runtime.TokenEstimate;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * An engine that does no inference: it waits for a slot like a real one, sleeps the time to first
 * token and between tokens (on the caller's thread; virtual threads make that free), and sends
 * filler words. Usable without Spring: {@code new SimulatedEngine(SimulatedProperties.of(…), "name", 256)}.
 *
 * <p>Rules: prompt tokens are estimated ({@link TokenEstimate}); prefix-cache hits come from
 * {@link PrefixCache}; the first token comes after {@code time-to-first-token} plus {@code prefill-per-token} for
 * each prompt token the cache did not hold. The output length is drawn from the configured distribution and capped by
 * the request's {@code max_tokens} (finish reason {@code length} when the cap cuts it, else
 * {@code stop}). With a request {@code seed}, length and words depend on the seed only. Models
 * whose name ends in {@code -reasoner} spend {@code reasoning-share} of the output on
 * {@code reasoning_content} first ({@code thinking} switches that on for any model, or off). KV-cache use is the
 * tokens of running requests (prompt and output so far) over {@code context-size × max-concurrency}; the KV capacity
 * reported is the prefix cache's, {@code prefix-cache-blocks × 16} tokens (in a real engine the prefix cache is the KV
 * cache).
 *
 * <p>It speaks the shapes a real engine does: a function call that {@code tool_choice} requires is made (arguments
 * that match the function's schema, {@link SampleJson}, one token per {@value TokenEstimate#CHARS_PER_TOKEN}
 * characters, finish reason {@code tool_calls}); a JSON {@code response_format} gets a JSON answer, sent in
 * four-character tokens (cut at the output cap like any answer); a FIM request gets filler words. Log probabilities are
 * refused (400), as on the CPU engine.
 */
public final class SimulatedEngine implements Engine {

    private static final List<String> WORDS = List.of("the", "model", "serves", "tokens", "from", "experts",
            "gate", "routes", "each", "layer", "cache", "prefix", "stream", "quickly", "and", "then", "a",
            "tenant", "reads", "answer", "with", "latency", "of", "one", "batch", "slot", "key", "value");
    private static final List<String> THOUGHTS = List.of("first", "consider", "the", "question", "so", "maybe",
            "check", "whether", "it", "holds", "hence", "wait", "let", "me", "verify", "step");

    private final SimulatedProperties settings;
    private final ModelInfo info;
    private final int defaultMaxTokens;
    private final boolean reasoner;
    private final Semaphore slots;
    private final PrefixCache prefixCache;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong heldTokens = new AtomicLong();
    private final AtomicLong prefixQueries = new AtomicLong();
    private final AtomicLong prefixHits = new AtomicLong();
    private final SplittableRandom seeds;
    private volatile boolean closed;

    public SimulatedEngine(SimulatedProperties settings, String modelName, int defaultMaxTokens) {
        this.settings = settings;
        this.defaultMaxTokens = defaultMaxTokens;
        this.info = new ModelInfo(modelName, "simulated", settings.contextSize(), settings.contextSize(),
                settings.maxConcurrency(), Instant.now());
        this.reasoner = modelName.endsWith("-reasoner");
        this.slots = new Semaphore(settings.maxConcurrency(), true);
        this.prefixCache = new PrefixCache(settings.prefixCacheBlocks());
        this.seeds = new SplittableRandom(settings.seed());
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    @Override
    public Generation generate(GenerationRequest request, GenerationListener listener) throws InterruptedException {
        ChatOptions options = request.options();
        if (options.logprobs()) {
            throw new ApiException(ApiError.INVALID_REQUEST, "This engine does not return log probabilities; leave 'logprobs' out.",
                    "logprobs");
        }
        String prompt = request.infill().present() ? request.infill().prefix() + request.infill().suffix()
                : TokenEstimate.render(request.messages());
        int promptTokens = TokenEstimate.count(prompt);
        int cap = outputLimit(request.maxTokens(), promptTokens);
        RandomGenerator random = random(request.seed());
        Answer answer = answer(options, random);
        int length = answer.pieces().isEmpty() ? length(random) : answer.pieces().size();
        int total = Math.min(length, cap);
        if (!takeSlot(listener)) {
            return new Generation(0, 0, 0, FinishReason.CANCELLED);
        }
        try {
            boolean thinking = options.thinking() == ChatOptions.Thinking.ENABLED
                    || reasoner && options.thinking() != ChatOptions.Thinking.DISABLED && !request.infill().present();
            return run(prompt, promptTokens, total, length >= cap, random, thinking, answer, listener);
        } finally {
            slots.release();
        }
    }

    /**
     * What the answer is when the request fixes its shape: a function call's arguments (sent as one call at the end)
     * or a JSON text, in four-character pieces; no pieces for free text.
     */
    private record Answer(ChatTool call, List<String> pieces) {
    }

    private static Answer answer(ChatOptions options, RandomGenerator random) {
        if (options.callRequired()) {
            ChatTool tool = options.forcedTool() != null ? options.forcedTool() : options.tools().getFirst();
            return new Answer(tool, pieces(SampleJson.of(tool.function().parameters(), random, word(WORDS, random, 0)).toString()));
        }
        return switch (options.format().kind()) {
            case TEXT -> new Answer(null, List.of());
            case JSON_OBJECT -> new Answer(null, pieces("{\"answer\": \"" + word(WORDS, random, 0) + "\"}"));
            case JSON_SCHEMA -> new Answer(null, pieces(SampleJson.of(options.format().schema(), random, word(WORDS, random, 0)).toString()));
        };
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += TokenEstimate.CHARS_PER_TOKEN) {
            pieces.add(text.substring(i, Math.min(text.length(), i + TokenEstimate.CHARS_PER_TOKEN)));
        }
        return pieces;
    }

    private Generation run(String prompt, int promptTokens, int total, boolean capped, RandomGenerator random, boolean thinking,
            Answer answer, GenerationListener listener) throws InterruptedException {
        int cached = prefixCache.lookupAndStore(prompt, promptTokens);
        prefixQueries.addAndGet(promptTokens);
        prefixHits.addAndGet(cached);
        heldTokens.addAndGet(promptTokens);
        int reasoning = thinking && answer.pieces().isEmpty() && total > 1
                ? (int) Math.min(total - 1, Math.round(total * settings.reasoningShare())) : 0;
        int produced = 0;
        boolean called = false;
        try {
            listener.started(promptTokens, cached);
            Thread.sleep(settings.timeToFirstToken().plus(settings.prefillPerToken().multipliedBy(promptTokens - cached)));
            for (; produced < total; produced++) {
                if (closed) {
                    break;
                }
                if (produced > 0) {
                    Thread.sleep(settings.interTokenLatency());
                }
                if (produced < reasoning) {
                    listener.reasoning(word(THOUGHTS, random, produced));
                } else if (answer.call() != null) {
                    listener.token("");
                } else if (!answer.pieces().isEmpty()) {
                    listener.token(answer.pieces().get(produced));
                } else {
                    listener.token(word(WORDS, random, produced - reasoning));
                }
                heldTokens.incrementAndGet();
            }
            if (answer.call() != null && produced == answer.pieces().size()) {
                listener.toolCall(0, "call_" + Long.toHexString(random.nextLong()), answer.call().function().name(), "");
                listener.toolCall(0, null, null, String.join("", answer.pieces()));
                called = true;
            }
        } catch (IOException e) {
            // the caller went away: stop here
        } finally {
            heldTokens.addAndGet(-(promptTokens + produced));
        }
        FinishReason reason = produced < total ? FinishReason.CANCELLED : called ? FinishReason.TOOL_CALLS
                : capped ? FinishReason.LENGTH : FinishReason.STOP;
        return new Generation(promptTokens, cached, produced, Math.min(produced, reasoning), reason);
    }

    /** A slot, waiting in arrival order and telling the listener at each keep-alive interval; false when the caller went away. */
    private boolean takeSlot(GenerationListener listener) throws InterruptedException {
        if (closed) {
            throw new EngineUnavailableException("The simulated engine is shutting down.");
        }
        if (slots.tryAcquire(0, TimeUnit.SECONDS)) {
            return true;
        }
        if (waiting.incrementAndGet() > settings.queueSize()) {
            waiting.decrementAndGet();
            String message = "The engine's queue is full (" + settings.queueSize()
                    + " requests waiting); retry later or send the request to another engine.";
            throw settings.queueFullStatus() == 429 ? new ApiException(ApiError.RATE_LIMIT_EXCEEDED, message)
                    : new EngineUnavailableException(message);
        }
        try {
            while (!slots.tryAcquire(settings.keepAliveInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    listener.waiting();
                } catch (IOException e) {
                    return false;
                }
            }
            return true;
        } finally {
            waiting.decrementAndGet();
        }
    }

    private int outputLimit(Integer requested, int promptTokens) {
        int left = settings.contextSize() - promptTokens;
        int limit = requested != null ? requested : Math.min(defaultMaxTokens, left);
        if (limit < 1 || limit > left) {
            throw new ContextLengthExceededException(promptTokens, Math.max(limit, 1), settings.contextSize());
        }
        return limit;
    }

    private RandomGenerator random(Long seed) {
        if (seed != null) {
            return new SplittableRandom(seed);
        }
        synchronized (seeds) {
            return seeds.split();
        }
    }

    private int length(RandomGenerator random) {
        SimulatedProperties.Output output = settings.output();
        return switch (output.distribution()) {
            case FIXED -> output.tokens();
            case UNIFORM -> random.nextInt(output.min(), output.max() + 1);
            case NORMAL -> Math.clamp(Math.round(output.tokens() + output.stddev() * random.nextGaussian()),
                    output.min(), output.max());
        };
    }

    private static String word(List<String> words, RandomGenerator random, int index) {
        String word = words.get(random.nextInt(words.size()));
        return index == 0 ? word : " " + word;
    }

    @Override
    public EngineLoad load() {
        int running = settings.maxConcurrency() - slots.availablePermits();
        double capacity = (double) settings.contextSize() * settings.maxConcurrency();
        return new EngineLoad(running, waiting.get(), Math.min(1, heldTokens.get() / capacity),
                (long) settings.prefixCacheBlocks() * PrefixCache.BLOCK_TOKENS, prefixQueries.get(), prefixHits.get());
    }

    /** Running generations stop at their next token (finish reason {@code cancelled}); new ones are refused. */
    @Override
    public void close() {
        closed = true;
    }
}
