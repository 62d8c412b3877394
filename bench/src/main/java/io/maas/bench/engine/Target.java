package io.maas.bench.engine;

/** Something that generates a chat completion, timed from the call to the first token and to the end. */
interface Target {

    /** One request's timings; {@code ttftNanos} is until the first non-empty piece of text. */
    record Sample(long ttftNanos, long totalNanos, long completionTokens) {
    }

    String name();

    Sample run(String prompt, int maxTokens, long seed) throws Exception;
}
