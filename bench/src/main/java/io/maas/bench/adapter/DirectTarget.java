package io.maas.bench.adapter;

import io.maas.api.openai.ChatMessage;
import io.maas.engine.runtime.Generation;
import io.maas.engine.runtime.GenerationListener;
import io.maas.engine.runtime.GenerationRequest;
import io.maas.engine.simulated.SimulatedEngine;
import java.util.List;

/** The reference: the simulated engine called in this JVM, no HTTP, no JSON. */
final class DirectTarget implements Target {

    private final SimulatedEngine engine;
    private final int maxTokens;

    DirectTarget(SimulatedEngine engine, int maxTokens) {
        this.engine = engine;
        this.maxTokens = maxTokens;
    }

    @Override
    public String name() {
        return "simulator in-process";
    }

    @Override
    public Sample run(int request) throws InterruptedException {
        long start = System.nanoTime();
        long[] firstAndLast = new long[2];
        Generation generation = engine.generate(new GenerationRequest(
                List.of(ChatMessage.of("user", AdapterBench.prompt(request))), maxTokens, null, null, null, (long) request,
                null), new GenerationListener() {
                    @Override
                    public void started(int promptTokens, int cachedPromptTokens) {
                    }

                    @Override
                    public void token(String text) {
                        long now = System.nanoTime();
                        if (firstAndLast[0] == 0) {
                            firstAndLast[0] = now;
                        }
                        firstAndLast[1] = now;
                    }
                });
        return new Sample(firstAndLast[0] - start, firstAndLast[1] - firstAndLast[0], generation.completionTokens());
    }
}
