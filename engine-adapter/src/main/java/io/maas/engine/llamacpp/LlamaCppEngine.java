package io.maas.engine.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatMessage;
import io.maas.engine.model.GgufFile;
import io.maas.engine.model.GgufFormatException;
import io.maas.engine.model.GgufReader;
import io.maas.engine.runtime.ChatOptions;
import io.maas.engine.runtime.ContextLengthExceededException;
import io.maas.engine.runtime.Engine;
import io.maas.engine.runtime.EngineException;
import io.maas.engine.runtime.EngineLoad;
import io.maas.engine.runtime.FinishReason;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.runtime.Infill;
import io.maas.engine.runtime.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * llama.cpp in-process through {@code de.kherud:llama}, usable without Spring:
 * {@code new LlamaCppEngine(LlamaCppSettings.defaults(path, "name"))}.
 *
 * <p>Native calls that block (waiting for the next token) run on platform threads, one per slot,
 * so that they never pin the carrier threads of the virtual threads serving HTTP. Tokens are handed
 * to the calling thread, which calls the listener.
 *
 * <p>Counting: each piece llama.cpp streams is one generated token, except that a token ending inside
 * a multi-byte UTF-8 character is held back by llama.cpp and sent together with the next one; such
 * pairs count once. The finish reason is {@code length} when the count reaches the output limit.
 *
 * <p>Chat options: functions reach the model through its chat template ({@link ToolPrompt}) and its calls are read
 * back ({@link AnswerRouter}); a call that {@code tool_choice} requires, and a JSON {@code response_format}, are
 * enforced by a llama.cpp grammar ({@link Grammars}); with {@code thinking} enabled the prompt opens the model's
 * {@code <think>} block and what it writes before {@code </think>} is its chain of thought. Log probabilities, and
 * thinking under a grammar, are refused (400). FIM requests use llama.cpp's infill, for models whose vocabulary has
 * the fill-in-the-middle tokens (the demo model has DeepSeek's); others refuse them (400).
 */
public final class LlamaCppEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(LlamaCppEngine.class);
    private static final int BYTE_TOKEN = 6; // GGUF token_type of byte-fallback tokens
    /**
     * llama.cpp's batch size, which its infill uses to cut the prefix (to its last 3/4 batch of tokens) and the suffix
     * (to its first 1/4 batch, less 2); mirrored to count the prompt as llama.cpp builds it.
     */
    private static final int INFILL_BATCH = 2048;
    private static final String THINK_OPEN = "<think>\n";

    private final LlamaCppSettings settings;
    private final LlamaModel model;
    private final ModelInfo info;
    private final SlotPool slots;
    private final ExecutorService workers;
    private final int contextPerRequest;
    private final int bosToken;
    private final String bosText;
    private final List<Integer> bannedTokenIds;
    /** The FIM tokens (before the prefix, before the suffix, before the middle); empty when the model has none. */
    private final int[] fim;

    public LlamaCppEngine(LlamaCppSettings settings) {
        this.settings = settings;
        GgufFile file = header(settings.model());
        long trained = file.contextLength();
        int contextSize = settings.contextSize() > 0 ? settings.contextSize()
                : (int) Math.min(trained > 0 ? trained : 4096, Integer.MAX_VALUE);
        this.contextPerRequest = contextSize / settings.parallel();
        boolean addBos = file.flag("tokenizer.ggml.add_bos_token", "llama".equals(file.string("tokenizer.ggml.model")));
        this.bosToken = addBos ? (int) file.number("tokenizer.ggml.bos_token_id", -1) : -1;
        this.bosText = bosToken >= 0 ? file.token(bosToken) : null;
        this.bannedTokenIds = settings.banByteTokens() ? byteTokens(file) : List.of();
        int[] fimTokens = {(int) file.number("tokenizer.ggml.fim_pre_token_id", -1),
                (int) file.number("tokenizer.ggml.fim_suf_token_id", -1), (int) file.number("tokenizer.ggml.fim_mid_token_id", -1)};
        this.fim = Arrays.stream(fimTokens).allMatch(id -> id >= 0) ? fimTokens : new int[0];
        long start = System.nanoTime();
        this.model = load(settings, contextSize);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        this.info = new ModelInfo(settings.servedModelName(), file.architecture(), trained, contextPerRequest,
                settings.parallel(), Instant.now());
        this.slots = new SlotPool(settings.parallel(), contextPerRequest);
        this.workers = Executors.newFixedThreadPool(settings.parallel(),
                Thread.ofPlatform().name("llama-slot-", 0).daemon().factory());
        log.info("Loaded {} as '{}' ({}, trained context {}) in {} ms: context {} = {} slots x {} tokens, {} thread(s)",
                settings.model().getFileName(), info.name(), info.architecture(), trained, millis, contextSize,
                settings.parallel(), contextPerRequest, settings.threads());
    }

    private static GgufFile header(Path path) {
        if (!Files.isReadable(path)) {
            throw new EngineException("The model file " + path + " does not exist or cannot be read.");
        }
        try {
            return GgufReader.read(path);
        } catch (IOException | GgufFormatException e) {
            throw new EngineException("The model file " + path + " is not a usable GGUF file: " + e.getMessage(), e);
        }
    }

    private static List<Integer> byteTokens(GgufFile file) {
        List<Integer> ids = new ArrayList<>();
        if (file.metadata().get("tokenizer.ggml.token_type") instanceof List<?> types) {
            for (int id = 0; id < types.size(); id++) {
                if (Long.valueOf(BYTE_TOKEN).equals(types.get(id))) {
                    ids.add(id);
                }
            }
        }
        return List.copyOf(ids);
    }

    private static LlamaModel load(LlamaCppSettings settings, int contextSize) {
        ModelParameters parameters = new ModelParameters()
                .setModel(settings.model().toAbsolutePath().toString())
                .setCtxSize(contextSize)
                .setParallel(settings.parallel())
                .setThreads(settings.threads())
                .setThreadsBatch(settings.threads())
                .disableContextShift();
        if (!settings.nativeLog()) {
            parameters.disableLog();
        }
        try {
            return new LlamaModel(parameters);
        } catch (RuntimeException e) { // the binding's LlamaException is not public
            throw new EngineException("llama.cpp could not load " + settings.model() + ": "
                    + LoadDiagnostics.explain(settings.model()), e);
        }
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    /** From the slot pool: slots in use and waited for, KV cache held by the slots' prompts, prefix-cache counters. */
    @Override
    public EngineLoad load() {
        SlotPool.Load load = slots.load();
        return new EngineLoad(load.busy(), load.waiting(), load.kvCacheUsage(), load.kvCacheTokens(), load.prefixQueries(),
                load.prefixHits());
    }

    @Override
    public Generation generate(GenerationRequest request, GenerationListener listener) throws InterruptedException {
        ChatOptions options = request.options();
        if (options.logprobs()) {
            throw new ApiException(ApiError.INVALID_REQUEST, "This engine (llama.cpp) does not return log probabilities;"
                    + " leave 'logprobs' out.", "logprobs");
        }
        boolean thinking = options.thinking() == ChatOptions.Thinking.ENABLED;
        Optional<String> grammar = request.infill().present() ? Optional.empty() : Grammars.of(options);
        if (thinking && grammar.isPresent()) {
            throw new ApiException(ApiError.INVALID_REQUEST, "This engine cannot think and hold its answer to a JSON shape in one"
                    + " request; switch 'thinking' off, or drop the required tool_choice / JSON response_format.", "thinking");
        }
        Prompt prompt = request.infill().present() ? infill(request.infill()) : chat(request.messages(), options, thinking);
        int maxTokens = outputLimit(request.maxTokens(), prompt.tokens().length);
        SlotPool.Lease lease = slots.acquire(prompt.tokens());
        try {
            listener.started(prompt.tokens().length, lease.cachedTokens());
        } catch (IOException e) {
            slots.release(lease, false);
            return new Generation(0, 0, 0, FinishReason.CANCELLED);
        }
        Run run = new Run(parameters(prompt, maxTokens, request, lease.slot(), grammar), lease);
        workers.execute(run);
        AnswerRouter.Mode mode = options.callRequired() ? AnswerRouter.Mode.FORCED_CALL
                : options.offersTools() ? AnswerRouter.Mode.CALLS : AnswerRouter.Mode.TEXT;
        return consume(run, new AnswerRouter(listener, mode, thinking), prompt.tokens().length, lease.cachedTokens(), maxTokens);
    }

    /** What llama.cpp is asked to complete: the chat template's text, or a FIM prefix and suffix; and its tokens. */
    private record Prompt(String text, Infill infill, int[] tokens) {
    }

    private Prompt chat(List<ChatMessage> messages, ChatOptions options, boolean thinking) {
        String text = render(ToolPrompt.render(messages, options)) + (thinking ? THINK_OPEN : "");
        return new Prompt(text, Infill.NONE, tokenize(text));
    }

    /** llama.cpp's infill prompt: [BOS] FIM-prefix prefix FIM-suffix suffix FIM-middle, prefix and suffix cut as it cuts them. */
    private Prompt infill(Infill infill) {
        if (fim.length == 0) {
            throw new ApiException(ApiError.INVALID_REQUEST, "The model '" + info.name() + "' has no fill-in-the-middle tokens,"
                    + " so it cannot complete between a prompt and a suffix; use /v1/chat/completions.", "model");
        }
        int[] prefix = model.encode(infill.prefix());
        int[] suffix = model.encode(infill.suffix());
        prefix = Arrays.copyOfRange(prefix, Math.max(0, prefix.length - 3 * (INFILL_BATCH / 4)), prefix.length);
        suffix = Arrays.copyOf(suffix, Math.min(suffix.length, INFILL_BATCH / 4 - 2));
        int[] tokens = new int[(bosToken >= 0 ? 1 : 0) + 3 + prefix.length + suffix.length];
        int at = 0;
        if (bosToken >= 0) {
            tokens[at++] = bosToken;
        }
        tokens[at++] = fim[0];
        System.arraycopy(prefix, 0, tokens, at, prefix.length);
        at += prefix.length;
        tokens[at++] = fim[1];
        System.arraycopy(suffix, 0, tokens, at, suffix.length);
        at += suffix.length;
        tokens[at] = fim[2];
        return new Prompt("", infill, tokens);
    }

    private Generation consume(Run run, AnswerRouter answer, int promptTokens, int cachedTokens, int maxTokens)
            throws InterruptedException {
        try {
            while (true) {
                switch (run.pieces.take()) {
                    case Piece.Text text -> deliver(run, answer, text.text());
                    case Piece.End end -> {
                        boolean called = false;
                        if (!run.cancelled) {
                            try {
                                called = answer.finish();
                            } catch (IOException e) {
                                run.cancel();
                            }
                        }
                        FinishReason reason = end.cancelled() || run.cancelled ? FinishReason.CANCELLED
                                : called ? FinishReason.TOOL_CALLS
                                : end.tokens() >= maxTokens ? FinishReason.LENGTH : FinishReason.STOP;
                        return new Generation(promptTokens, cachedTokens, end.tokens(), Math.min(end.tokens(), answer.reasoningTokens()),
                                reason);
                    }
                    case Piece.Failure failure -> throw new EngineException(
                            "llama.cpp failed during generation: " + failure.error().getMessage(), failure.error());
                }
            }
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    /** Hands a piece to the listener until it fails once; after that the run is cancelled and pieces are only counted. */
    private static void deliver(Run run, AnswerRouter answer, String text) {
        if (run.cancelled) {
            return;
        }
        try {
            answer.piece(text);
        } catch (IOException e) {
            run.cancel();
        }
    }

    /** The chat template's rendering, without the BOS text that llama.cpp adds itself as a token. */
    private String render(List<ChatMessage> messages) {
        List<String> system = new ArrayList<>();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            if ("system".equals(message.role())) {
                system.add(message.content());
            } else {
                turns.add(new Pair<>(message.role(), message.content()));
            }
        }
        String prompt = model.applyTemplate(new InferenceParameters("")
                .setMessages(system.isEmpty() ? null : String.join("\n\n", system), turns));
        return bosText != null && prompt.startsWith(bosText) ? prompt.substring(bosText.length()) : prompt;
    }

    /** The prompt's tokens as llama.cpp's completion task will see them: BOS (when the model adds one) and the text. */
    private int[] tokenize(String prompt) {
        int[] text = model.encode(prompt);
        if (bosToken < 0) {
            return text;
        }
        int[] tokens = new int[text.length + 1];
        tokens[0] = bosToken;
        System.arraycopy(text, 0, tokens, 1, text.length);
        return tokens;
    }

    /**
     * Context shift is off: prompt plus output must fit one slot's context, which is checked here
     * before any work. Without a requested limit, the default is capped by what is left.
     */
    private int outputLimit(Integer requested, int promptTokens) {
        int left = contextPerRequest - promptTokens;
        int limit = requested != null ? requested : Math.min(settings.defaultMaxTokens(), left);
        if (limit < 1 || limit > left) {
            throw new ContextLengthExceededException(promptTokens, Math.max(limit, 1), contextPerRequest);
        }
        return limit;
    }

    private InferenceParameters parameters(Prompt prompt, int maxTokens, GenerationRequest request, int slot,
            Optional<String> grammar) {
        InferenceParameters parameters = new InferenceParameters(prompt.text());
        if (prompt.infill().present()) {
            parameters.setInputPrefix(prompt.infill().prefix()).setInputSuffix(prompt.infill().suffix());
        }
        grammar.ifPresent(parameters::setGrammar);
        ChatOptions options = request.options();
        if (options.presencePenalty() != null) {
            parameters.setPresencePenalty(options.presencePenalty().floatValue());
        }
        if (options.frequencyPenalty() != null) {
            parameters.setFrequencyPenalty(options.frequencyPenalty().floatValue());
        }
        parameters.setNPredict(maxTokens)
                .setCachePrompt(true)
                .setTemperature(request.temperature() == null ? 1f : request.temperature().floatValue())
                .setTopP(request.topP() == null ? 1f : request.topP().floatValue());
        if (request.seed() != null) {
            // llama.cpp's seed is a u32 whose all-ones value means "random"
            parameters.setSeed((int) Math.floorMod(request.seed(), 0xFFFF_FFFFL));
        }
        if (!request.stop().isEmpty()) {
            parameters.setStopStrings(request.stop().toArray(String[]::new));
        }
        List<Integer> banned = new ArrayList<>(bannedTokenIds);
        banned.addAll(request.bannedTokenIds());
        if (!banned.isEmpty()) {
            parameters.disableTokenIds(banned);
        }
        return SlotPinning.pin(parameters, slot);
    }

    /** Stops every generation at its next token, then frees llama.cpp. */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Generations still running after 10 s; closing llama.cpp anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
    }

    /** What a worker hands to the calling thread. */
    private sealed interface Piece {
        record Text(String text) implements Piece {
        }

        record End(int tokens, boolean cancelled) implements Piece {
        }

        record Failure(RuntimeException error) implements Piece {
        }
    }

    /** One generation on a worker thread: pulls llama.cpp's pieces and stops at the next one once cancelled. */
    private final class Run implements Runnable {

        private final InferenceParameters parameters;
        private final SlotPool.Lease lease;
        private final LinkedBlockingQueue<Piece> pieces = new LinkedBlockingQueue<>();
        private volatile boolean cancelled;

        Run(InferenceParameters parameters, SlotPool.Lease lease) {
            this.parameters = parameters;
            this.lease = lease;
        }

        void cancel() {
            cancelled = true;
        }

        /**
         * The slot is released before the caller learns of the end, so that a request following at
         * once finds it free, with this prompt in its cache.
         */
        @Override
        public void run() {
            int tokens = 0;
            Piece last;
            try {
                LlamaIterator iterator = model.generate(parameters).iterator();
                while (iterator.hasNext()) {
                    if (cancelled || Thread.currentThread().isInterrupted()) {
                        iterator.cancel();
                        cancelled = true;
                        break;
                    }
                    LlamaOutput output = iterator.next();
                    if (iterator.hasNext()) {
                        tokens++;
                        pieces.add(new Piece.Text(output.text));
                    } else if (!output.text.isEmpty()) { // the closing piece carries no token of its own
                        pieces.add(new Piece.Text(output.text));
                    }
                }
                last = new Piece.End(tokens, cancelled);
            } catch (RuntimeException e) {
                last = new Piece.Failure(e);
            } finally {
                slots.release(lease, tokens > 0);
            }
            pieces.add(last);
        }
    }
}
