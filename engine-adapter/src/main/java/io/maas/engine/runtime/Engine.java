package io.maas.engine.runtime;

/**
 * An inference engine serving one model: llama.cpp in-process today; an external OpenAI-compatible
 * process or a simulated engine later, chosen by {@code platform.engine.runtime}.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>{@link #generate} is called concurrently; requests beyond the engine's parallel slots wait
 *       for a free slot, in arrival order.</li>
 *   <li>It validates before any work is done: a prompt plus output limit that does not fit the
 *       context of one slot throws {@link ContextLengthExceededException}, and the listener has not
 *       been called.</li>
 *   <li>When the listener throws (the caller is gone), generation stops at the next token and
 *       {@link #generate} returns normally with {@link FinishReason#CANCELLED} and the tokens the
 *       engine had produced until then.</li>
 *   <li>{@link #close} stops all generations and frees native resources; no call may follow it.</li>
 * </ul>
 */
public interface Engine extends AutoCloseable {

    ModelInfo model();

    Generation generate(GenerationRequest request, GenerationListener listener) throws InterruptedException;

    @Override
    void close();
}
