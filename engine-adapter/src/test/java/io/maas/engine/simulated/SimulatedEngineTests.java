package io.maas.engine.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.ChatMessage;
import io.maas.api.openai.ChatTool;
import io.maas.engine.runtime.ChatOptions;
import io.maas.engine.runtime.ContextLengthExceededException;
import io.maas.engine.runtime.EngineUnavailableException;
import io.maas.engine.runtime.FinishReason;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.runtime.Infill;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SimulatedEngineTests {

    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void answersWithTheFixedLengthOrStopsAtMaxTokens() throws Exception {
        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(MS, Duration.ZERO, 12, 4), "sim", 256);

        Recorder full = new Recorder();
        Generation all = engine.generate(request("hello", null, null), full);
        Recorder cut = new Recorder();
        Generation capped = engine.generate(request("hello", 5, null), cut);

        assertThat(all.completionTokens()).isEqualTo(12).isEqualTo(full.tokens.size());
        assertThat(all.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(all.reasoningTokens()).isZero();
        assertThat(full.reasoning).isEmpty();
        assertThat(capped.completionTokens()).isEqualTo(5).isEqualTo(cut.tokens.size());
        assertThat(capped.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(all.promptTokens()).isEqualTo(full.promptTokens).isEqualTo(io.maas.engine.runtime.TokenEstimate.count("<|user|>hello"));
    }

    @Test
    void aReasonerThinksFirstAndCountsItsThoughtsAsCompletionTokens() throws Exception {
        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(MS, Duration.ZERO, 10, 4), "sim-reasoner", 256);

        Recorder recorder = new Recorder();
        Generation generation = engine.generate(request("why?", null, 7L), recorder);

        assertThat(generation.reasoningTokens()).isEqualTo(5).isEqualTo(recorder.reasoning.size());
        assertThat(generation.completionTokens()).isEqualTo(10);
        assertThat(recorder.order).isEqualTo("SRRRRRTTTTT");
    }

    @Test
    void theSameSeedGivesTheSameWordsAndLength() throws Exception {
        SimulatedProperties uniform = new SimulatedProperties(MS, Duration.ZERO,
                new SimulatedProperties.Output(SimulatedProperties.Distribution.UNIFORM, 64, 5, 40, 16), 0.5, 8192, 4,
                16, Duration.ofSeconds(5), 64, 0, Duration.ZERO, 503);
        SimulatedEngine engine = new SimulatedEngine(uniform, "sim", 256);

        Recorder a = new Recorder();
        engine.generate(request("hi", null, 42L), a);
        Recorder b = new Recorder();
        engine.generate(request("hi", null, 42L), b);
        List<Integer> lengths = new ArrayList<>();
        for (long seed = 0; seed < 30; seed++) {
            lengths.add(engine.generate(request("hi", null, seed), new Recorder()).completionTokens());
        }

        assertThat(b.tokens).isEqualTo(a.tokens);
        assertThat(lengths).allSatisfy(n -> assertThat(n).isBetween(5, 40));
        assertThat(lengths.stream().distinct().count()).isGreaterThan(5);
    }

    @Test
    void aRepeatedLongPromptHitsThePrefixCache() throws Exception {
        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(MS, Duration.ZERO, 2, 4), "sim", 256);
        String prompt = "A long system prompt that many requests share. ".repeat(10);

        Generation first = engine.generate(request(prompt, null, null), new Recorder());
        Generation second = engine.generate(request(prompt + "and a new question", null, null), new Recorder());

        assertThat(first.cachedPromptTokens()).isZero();
        assertThat(second.cachedPromptTokens()).isPositive().isLessThan(second.promptTokens())
                .isEqualTo(first.promptTokens() / PrefixCache.BLOCK_TOKENS * PrefixCache.BLOCK_TOKENS);
        assertThat(engine.load().prefixCacheHits()).isEqualTo(second.cachedPromptTokens());
        assertThat(engine.load().prefixCacheQueries()).isEqualTo(first.promptTokens() + second.promptTokens());
    }

    @Test
    void aFullPrefixCacheEvictsAPromptsTailBeforeItsHeadAndPrefillCostsOnlyWhatIsNotCached() throws Exception {
        SimulatedProperties small = new SimulatedProperties(MS, Duration.ZERO, SimulatedProperties.Output.fixed(1), 0.5,
                8192, 1, 0, Duration.ofSeconds(1), 4, 0, Duration.ofMillis(2), 503);
        SimulatedEngine engine = new SimulatedEngine(small, "sim", 256);
        String threeBlocks = "a".repeat(3 * 64 - 8);

        engine.generate(request(threeBlocks, null, null), new Recorder());
        engine.generate(request("b".repeat(2 * 64), null, null), new Recorder());
        long start = System.nanoTime();
        Generation again = engine.generate(request(threeBlocks, null, null), new Recorder());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(again.cachedPromptTokens()).as("the first two blocks stayed").isEqualTo(2 * PrefixCache.BLOCK_TOKENS);
        assertThat(millis).as("prefill of the %d uncached tokens", again.promptTokens() - 32)
                .isGreaterThanOrEqualTo(2L * (again.promptTokens() - 32));
    }

    @Test
    void aRequestThatDoesNotFitIsRefusedBeforeAnyWork() {
        SimulatedProperties small = new SimulatedProperties(MS, Duration.ZERO, SimulatedProperties.Output.fixed(4), 0.5,
                16, 1, 0, Duration.ofSeconds(1), 0, 0, Duration.ZERO, 503);
        SimulatedEngine engine = new SimulatedEngine(small, "sim", 256);
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> engine.generate(request("x".repeat(100), null, null), recorder))
                .isInstanceOf(ContextLengthExceededException.class);
        assertThat(recorder.order).isEmpty();
    }

    @Test
    void beyondTheConcurrencyLimitRequestsWaitWithKeepAlivesAndBeyondTheQueueAreRefused() throws Exception {
        SimulatedProperties one = new SimulatedProperties(MS, Duration.ofMillis(20), SimulatedProperties.Output.fixed(15),
                0.5, 8192, 1, 1, Duration.ofMillis(30), 0, 0, Duration.ZERO, 503);
        SimulatedEngine engine = new SimulatedEngine(one, "sim", 256);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Recorder firstRecorder = new Recorder();
            var first = CompletableFuture.supplyAsync(() -> generate(engine, firstRecorder), threads);
            while (firstRecorder.promptTokens == 0) {
                Thread.sleep(5);
            }
            Recorder secondRecorder = new Recorder();
            var second = CompletableFuture.supplyAsync(() -> generate(engine, secondRecorder), threads);
            while (engine.load().waiting() == 0) {
                Thread.sleep(5);
            }
            assertThat(engine.load().running()).isEqualTo(1);
            assertThat(engine.load().kvCacheUsage()).isPositive();

            assertThatThrownBy(() -> engine.generate(request("third", null, null), new Recorder()))
                    .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("queue is full");

            assertThat(first.get(5, TimeUnit.SECONDS).completionTokens()).isEqualTo(15);
            assertThat(second.get(5, TimeUnit.SECONDS).completionTokens()).isEqualTo(15);
            assertThat(secondRecorder.order).matches("W+S T+".replace(" ", ""));
            assertThat(firstRecorder.order).doesNotContain("W");
        }
        assertThat(engine.load().running()).isZero();
        assertThat(engine.load().kvCacheUsage()).isZero();
    }

    @Test
    void aListenerThatFailsCancelsTheGenerationWithTheTokensSoFar() throws Exception {
        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(MS, Duration.ZERO, 20, 1), "sim", 256);
        AtomicInteger calls = new AtomicInteger();
        Recorder failing = new Recorder() {
            @Override
            public void token(String text) throws IOException {
                if (calls.incrementAndGet() == 4) {
                    throw new IOException("client gone");
                }
                super.token(text);
            }
        };

        Generation generation = engine.generate(request("hi", null, null), failing);

        assertThat(generation.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(generation.completionTokens()).isEqualTo(3);
        assertThat(engine.load().running()).isZero();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ChatTool FORECAST = new ChatTool("function", new ChatTool.Function("forecast", null, JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"},"
                    + "\"unit\":{\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\",\"days\"]}"), null));

    private static GenerationRequest with(ChatOptions options) {
        return new GenerationRequest(List.of(ChatMessage.of("user", "hi")), 200, null, null, null, 3L, null, options, Infill.NONE);
    }

    @Test
    void aRequiredFunctionIsCalledWithArgumentsThatMatchItsSchema() throws Exception {
        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(MS, Duration.ZERO, 12, 4), "sim", 256);
        var options = new ChatOptions(List.of(FORECAST), new ChatOptions.ToolChoice(ChatOptions.ToolChoice.Mode.REQUIRED, null), true,
                ChatOptions.OutputFormat.TEXT, ChatOptions.Thinking.DEFAULT, null, null, -1);

        Recorder recorder = new Recorder();
        Generation generation = engine.generate(with(options), recorder);

        assertThat(generation.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(recorder.tokens).allMatch(String::isEmpty).hasSize(generation.completionTokens());
        assertThat(recorder.toolCalls).hasSize(2);
        assertThat(recorder.toolCalls.getFirst()).startsWith("0 call_").endsWith(" forecast ");
        JsonNode arguments = JSON.readTree(recorder.toolCalls.get(1).replaceFirst("^0 null null ", ""));
        assertThat(arguments.path("city").isString()).isTrue();
        assertThat(arguments.path("days").isIntegralNumber()).isTrue();
        assertThat(arguments.path("unit").asString()).isEqualTo("c");
    }

    @Test
    void jsonOutputParsesThinkingCanBeSwitchedAndLogprobsAreRefused() throws Exception {
        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(MS, Duration.ZERO, 12, 4), "sim", 256);
        var json = new ChatOptions(List.of(), ChatOptions.ToolChoice.AUTO, true,
                new ChatOptions.OutputFormat(ChatOptions.OutputFormat.Kind.JSON_OBJECT, null), ChatOptions.Thinking.DEFAULT, null, null, -1);
        var thinking = new ChatOptions(List.of(), ChatOptions.ToolChoice.AUTO, true, ChatOptions.OutputFormat.TEXT,
                ChatOptions.Thinking.ENABLED, null, null, -1);
        var logprobs = new ChatOptions(List.of(), ChatOptions.ToolChoice.AUTO, true, ChatOptions.OutputFormat.TEXT,
                ChatOptions.Thinking.DEFAULT, null, null, 2);

        Recorder object = new Recorder();
        engine.generate(with(json), object);
        Recorder thought = new Recorder();
        Generation thoughtful = engine.generate(with(thinking), thought);

        assertThat(JSON.readTree(String.join("", object.tokens)).path("answer").isString()).isTrue();
        assertThat(thoughtful.reasoningTokens()).isPositive().isEqualTo(thought.reasoning.size());
        assertThatThrownBy(() -> engine.generate(with(logprobs), new Recorder()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("logprobs"));
    }

    private static Generation generate(SimulatedEngine engine, Recorder recorder) {
        try {
            return engine.generate(request("hello", null, null), recorder);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GenerationRequest request(String content, Integer maxTokens, Long seed) {
        return new GenerationRequest(List.of(ChatMessage.of("user", content)), maxTokens, null, null, null, seed, null);
    }

    /** Records the calls in order: W waiting, S started, R reasoning, T token. */
    static class Recorder implements GenerationListener {
        final List<String> tokens = new ArrayList<>();
        final List<String> reasoning = new ArrayList<>();
        volatile String order = "";
        volatile int promptTokens;
        final List<String> toolCalls = new ArrayList<>();

        @Override
        public void toolCall(int index, String id, String name, String arguments) {
            toolCalls.add(index + " " + id + " " + name + " " + arguments);
        }

        @Override
        public void waiting() {
            order += "W";
        }

        @Override
        public void started(int prompt, int cached) {
            promptTokens = prompt;
            order += "S";
        }

        @Override
        public void reasoning(String text) {
            reasoning.add(text);
            order += "R";
        }

        @Override
        public void token(String text) throws IOException {
            tokens.add(text);
            order += "T";
        }
    }
}
