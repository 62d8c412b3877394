package io.maas.bench.engine;

import io.maas.api.openai.ChatMessage;
import io.maas.engine.llamacpp.LlamaCppEngine;
import io.maas.engine.llamacpp.LlamaCppSettings;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import java.nio.file.Path;
import java.util.List;

/** The reference: llama.cpp called in this JVM through the binding, with the adapter's own settings. */
final class InProcessTarget implements Target, AutoCloseable {

    private final LlamaCppEngine engine;

    InProcessTarget(Path demoModel) {
        this.engine = new LlamaCppEngine(LlamaCppSettings.demo(demoModel));
    }

    @Override
    public String name() {
        return "llama.cpp in-process";
    }

    @Override
    public Sample run(String prompt, int maxTokens, long seed) throws InterruptedException {
        long start = System.nanoTime();
        long[] first = {0};
        Generation generation = engine.generate(
                new GenerationRequest(List.of(ChatMessage.of("user", prompt)), maxTokens, null, null, null, seed, null),
                new GenerationListener() {
                    @Override
                    public void started(int promptTokens, int cachedPromptTokens) {
                    }

                    @Override
                    public void token(String text) {
                        if (first[0] == 0 && !text.isEmpty()) {
                            first[0] = System.nanoTime();
                        }
                    }
                });
        long end = System.nanoTime();
        return new Sample((first[0] == 0 ? end : first[0]) - start, end - start, generation.completionTokens());
    }

    @Override
    public void close() {
        engine.close();
    }
}
