package io.maas.engine.llamacpp;

import io.maas.engine.model.DemoModel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run one GGUF model with llama.cpp in-process. Build it directly (benchmarks, tools) or let
 * Spring build it from {@code platform.engine.*}.
 *
 * @param contextSize   0 means the model's trained context length
 * @param banByteTokens never sample the vocabulary's byte-fallback tokens, so that every streamed piece
 *                      is whole UTF-8 and one token (on for the demo model, whose random weights love them)
 */
public record LlamaCppSettings(Path model, String servedModelName, int contextSize, int parallel, int threads,
        int defaultMaxTokens, boolean nativeLog, boolean banByteTokens) {

    public LlamaCppSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(servedModelName, "servedModelName");
        if (contextSize < 0 || parallel < 1 || threads < 1 || defaultMaxTokens < 1) {
            throw new IllegalArgumentException("contextSize >= 0, parallel, threads and defaultMaxTokens >= 1");
        }
    }

    /** The adapter's defaults for a model file: 4096 tokens of context, 2 slots, 1 thread, 256 output tokens. */
    public static LlamaCppSettings defaults(Path model, String servedModelName) {
        return new LlamaCppSettings(model, servedModelName, 4096, 2, 1, 256, false, false);
    }

    /** The adapter's defaults for the generated demo model (see {@code DemoModel.ensure}). */
    public static LlamaCppSettings demo(Path demoModelFile) {
        return new LlamaCppSettings(demoModelFile, DemoModel.NAME, 4096, 2, 1, 256, false, true);
    }
}
