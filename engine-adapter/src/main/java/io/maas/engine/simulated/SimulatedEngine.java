package io.maas.engine.simulated;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
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
 * {@code reasoning_content} first. KV-cache use is the tokens of running requests (prompt and
 * output so far) over {@code context-size × max-concurrency}; the KV capacity reported is the prefix cache's,
 * {@code prefix-cache-blocks × 16} tokens (in a real engine the prefix cache is the KV cache).
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
        String prompt = TokenEstimate.render(request.messages());
        int promptTokens = TokenEstimate.count(prompt);
        int cap = outputLimit(request.maxTokens(), promptTokens);
        RandomGenerator random = random(request.seed());
        int length = length(random);
        int total = Math.min(length, cap);
        if (!takeSlot(listener)) {
            return new Generation(0, 0, 0, FinishReason.CANCELLED);
        }
        try {
            return run(prompt, promptTokens, total, length >= cap, random, listener);
        } finally {
            slots.release();
        }
    }

    private Generation run(String prompt, int promptTokens, int total, boolean capped, RandomGenerator random,
            GenerationListener listener) throws InterruptedException {
        int cached = prefixCache.lookupAndStore(prompt, promptTokens);
        prefixQueries.addAndGet(promptTokens);
        prefixHits.addAndGet(cached);
        heldTokens.addAndGet(promptTokens);
        int reasoning = reasoner && total > 1 ? (int) Math.min(total - 1, Math.round(total * settings.reasoningShare())) : 0;
        int produced = 0;
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
                } else {
                    listener.token(word(WORDS, random, produced - reasoning));
                }
                heldTokens.incrementAndGet();
            }
        } catch (IOException e) {
            // the caller went away: stop here
        } finally {
            heldTokens.addAndGet(-(promptTokens + produced));
        }
        FinishReason reason = produced < total ? FinishReason.CANCELLED : capped ? FinishReason.LENGTH : FinishReason.STOP;
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
