package io.maas.engine.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maas.api.openai.ChatMessage;
import io.maas.engine.model.DemoModel;
import io.maas.engine.runtime.EngineException;
import io.maas.engine.runtime.FinishReason;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine used directly, without Spring, as a benchmark would. */
class LlamaCppEngineIT {

    @TempDir
    static Path dir;
    static LlamaCppEngine engine;

    @BeforeAll
    static void load() {
        engine = new LlamaCppEngine(LlamaCppSettings.demo(DemoModel.ensure(dir)));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void generatesExactlyTheRequestedTokensAndTheSameTextForTheSameSeed() throws InterruptedException {
        Collector first = new Collector();
        Collector second = new Collector();

        Generation a = engine.generate(request(16, 7L), first);
        Generation b = engine.generate(request(16, 7L), second);

        assertThat(a.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(a.completionTokens()).isEqualTo(16).isEqualTo(first.tokens);
        assertThat(first.text).isNotBlank().hasToString(second.text.toString());
        assertThat(b.cachedPromptTokens()).isEqualTo(b.promptTokens() - 1);
        System.out.printf("[measure] demo model, 1 thread: %s%n", throughput());
    }

    @Test
    void aBrokenFileFailsWithLlamaCppsOwnReason() throws IOException {
        byte[] model = DemoModel.bytes();
        Path truncated = Files.write(dir.resolve("truncated.gguf"), Arrays.copyOf(model, model.length / 2));

        assertThatThrownBy(() -> new LlamaCppEngine(LlamaCppSettings.defaults(truncated, "broken")))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("llama.cpp could not load")
                .hasMessageContaining("truncated.gguf")
                .hasMessageMatching("(?s).*(error|failed).*(error|failed).*");
    }

    private static String throughput() throws InterruptedException {
        Collector sink = new Collector();
        long start = System.nanoTime();
        Generation generation = engine.generate(request(1000, 1L), sink);
        double seconds = (System.nanoTime() - start) / 1e9;
        return "%d tokens in %.0f ms = %.0f tokens/s".formatted(generation.completionTokens(), seconds * 1000,
                generation.completionTokens() / seconds);
    }

    private static GenerationRequest request(int maxTokens, Long seed) {
        return new GenerationRequest(List.of(ChatMessage.of("user", "hello world, tell me about the experts")),
                maxTokens, 1.0, null, null, seed, null);
    }

    private static final class Collector implements GenerationListener {
        final StringBuilder text = new StringBuilder();
        int tokens;

        @Override
        public void started(int promptTokens, int cachedPromptTokens) {
        }

        @Override
        public void token(String piece) {
            tokens++;
            text.append(piece);
        }
    }
}
