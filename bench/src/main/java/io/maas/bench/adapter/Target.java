package io.maas.bench.adapter;

/** Generates one streamed completion of the simulated engine and times it as a client sees it. */
interface Target {

    /**
     * One request's timings: from the call to the first token, and from the first token to the last
     * ({@code tokens - 1} intervals).
     */
    record Sample(long ttftNanos, long decodeNanos, int tokens) {
    }

    String name();

    Sample run(int request) throws Exception;
}
