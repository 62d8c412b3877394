package io.maas.bench.adapter;

import io.maas.bench.Options;
import io.maas.bench.Results;
import io.maas.engine.simulated.SimulatedEngine;
import io.maas.engine.simulated.SimulatedProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The engine adapter's own cost: the simulated engine behind the adapter over loopback HTTP vs the
 * same simulator called in-process, at several numbers of concurrent streams, with the same
 * settings, in alternating rounds of one run. Clients are virtual threads, one per stream.
 *
 * <p>Arguments: {@code --jar ENGINE_ADAPTER_EXEC_JAR [--concurrency 1,16,256] [--rounds 3]
 * [--tokens 64] [--ttft-ms 50] [--itl-ms 10]}.
 */
public final class AdapterBench {

    private static final String MODEL = "sim";

    private AdapterBench() {
    }

    static String prompt(int request) {
        return "Request " + request + ": summarize the quarterly usage of tenant " + (request % 7) + ".";
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        Path jar = Path.of(options.require("jar"));
        List<Integer> concurrencies = Arrays.stream(options.get("concurrency", "1,16,256").split(","))
                .map(Integer::parseInt).toList();
        int rounds = options.getInt("rounds", 3);
        int tokens = options.getInt("tokens", 64);
        Duration ttft = Duration.ofMillis(options.getInt("ttft-ms", 50));
        Duration itl = Duration.ofMillis(options.getInt("itl-ms", 10));
        int slots = concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);

        SimulatedEngine engine = new SimulatedEngine(SimulatedProperties.of(ttft, itl, tokens, slots), MODEL, tokens);
        Path log = Files.createTempFile("bench-adapter-", ".log");
        try (AdapterProcess adapter = new AdapterProcess(jar, log, MODEL, List.of("time-to-first-token=" + ttft.toMillis() + "ms",
                "inter-token-latency=" + itl.toMillis() + "ms", "output.tokens=" + tokens, "max-concurrency=" + slots))) {
            Target direct = new DirectTarget(engine, tokens);
            Target http = new AdapterTarget(adapter.base(), MODEL, tokens);
            var results = new Results("adapter", "Engine adapter overhead: simulator behind the adapter vs in-process",
                    "path", "streams", "requests", "tokens", "tokens/s", "TTFT p50 ms", "TTFT p99 ms", "ms/token",
                    "added TTFT p50 ms", "added ms/token");
            for (int concurrency : concurrencies) {
                int requests = Math.max(8, 2 * concurrency);
                Map<Target, Stats> stats = new LinkedHashMap<>();
                for (Target target : List.of(direct, http)) {
                    batch(target, concurrency, Math.min(requests, 2 * concurrency), 0); // warm-up: JIT, connections
                    stats.put(target, new Stats());
                }
                for (int round = 0; round < rounds; round++) {
                    for (Target target : List.of(direct, http)) {
                        stats.get(target).add(batch(target, concurrency, requests, (round + 1) * 10_000));
                    }
                }
                Stats reference = stats.get(direct);
                for (var entry : stats.entrySet()) {
                    Stats s = entry.getValue();
                    boolean isReference = entry.getKey() == direct;
                    results.row(entry.getKey().name(), concurrency, s.samples.size(), s.tokens(),
                            "%.0f".formatted(s.tokensPerSecond()), ms(s.ttft(50)), ms(s.ttft(99)), ms(s.perToken()),
                            isReference ? "reference" : "%+.2f".formatted((s.ttft(50) - reference.ttft(50)) / 1e6),
                            isReference ? "reference" : "%+.3f".formatted((s.perToken() - reference.perToken()) / 1e6));
                }
            }
            results.note("Simulated engine: time to first token " + ttft.toMillis() + " ms, " + itl.toMillis()
                    + " ms between tokens, " + tokens + " tokens per answer, " + slots + " slots (no queueing), the same "
                    + "settings in-process and in the adapter (its runnable jar, a separate JVM, default settings).");
            results.note(rounds + " rounds per path and concurrency, alternating, after a warm-up batch; max(8, 2 × streams) "
                    + "requests per round, each stream on a virtual thread; over HTTP: streamed with usage, one loopback "
                    + "connection per stream.");
            results.note("tokens/s = completion tokens / wall time of the rounds; ms/token = mean time between the first and "
                    + "the last token / (tokens - 1); added = adapter minus in-process.");
            results.save(Path.of("bench", "results"));
        }
        engine.close();
    }

    private static String ms(double nanos) {
        return "%.2f".formatted(nanos / 1e6);
    }

    private static Stats batch(Target target, int concurrency, int requests, int firstRequest) throws Exception {
        Stats stats = new Stats();
        Semaphore streams = new Semaphore(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            List<Future<Target.Sample>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int request = firstRequest + i;
                streams.acquire();
                futures.add(threads.submit(() -> {
                    try {
                        return target.run(request);
                    } finally {
                        streams.release();
                    }
                }));
            }
            for (Future<Target.Sample> future : futures) {
                stats.samples.add(future.get());
            }
            stats.wallNanos = System.nanoTime() - start;
        }
        return stats;
    }

    /** The samples of one path at one concurrency; wall times add up over rounds. */
    private static final class Stats {
        final List<Target.Sample> samples = new ArrayList<>();
        long wallNanos;

        void add(Stats round) {
            samples.addAll(round.samples);
            wallNanos += round.wallNanos;
        }

        long tokens() {
            return samples.stream().mapToLong(Target.Sample::tokens).sum();
        }

        double tokensPerSecond() {
            return tokens() / (wallNanos / 1e9);
        }

        double ttft(int percentile) {
            long[] sorted = samples.stream().mapToLong(Target.Sample::ttftNanos).sorted().toArray();
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
        }

        double perToken() {
            long nanos = samples.stream().mapToLong(Target.Sample::decodeNanos).sum();
            long intervals = samples.stream().mapToLong(s -> Math.max(0, s.tokens() - 1)).sum();
            return intervals == 0 ? 0 : (double) nanos / intervals;
        }
    }


}
