package io.maas.engine.runtime;

/**
 * An inference engine serving one model, chosen by {@code platform.engine.runtime}: llama.cpp
 * in-process, an external OpenAI-compatible process the adapter supervises, or a simulated engine.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>{@link #generate} is called concurrently; requests beyond the engine's parallel slots wait
 *       for a free slot, in arrival order.</li>
 *   <li>It validates before any work is done: a prompt plus output limit that does not fit the
 *       context of one slot throws {@link ContextLengthExceededException}, and the listener has not
 *       been called.</li>
 *   <li>While a request waits for a slot it calls {@link GenerationListener#waiting()} at a steady
 *       interval (engines that cannot tell when a request waits need not call it).</li>
 *   <li>Chain-of-thought tokens go to {@link GenerationListener#reasoning} before any answer token and
 *       are counted in {@link Generation#completionTokens()} and {@link Generation#reasoningTokens()}.</li>
 *   <li>When the listener throws (the caller is gone), generation stops at the next token and
 *       {@link #generate} returns normally with {@link FinishReason#CANCELLED} and the tokens the
 *       engine had produced until then.</li>
 *   <li>{@link #close} stops all generations and frees native resources; no call may follow it.</li>
 * </ul>
 */
public interface Engine extends AutoCloseable {

    ModelInfo model();

    Generation generate(GenerationRequest request, GenerationListener listener) throws InterruptedException;

    /**
     * What the engine knows about its own load; {@link EngineLoad#UNKNOWN} by default. Called for every
     * status request and metrics scrape, concurrently with generations: it must be quick and never block long.
     */
    default EngineLoad load() {
        return EngineLoad.UNKNOWN;
    }

    @Override
    void close();
}
