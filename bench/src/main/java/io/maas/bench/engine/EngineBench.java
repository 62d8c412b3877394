package io.maas.bench.engine;

import io.maas.bench.Options;
import io.maas.bench.Results;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tokens per second and time to first token of the demo model, three ways in one run: through the
 * gateway and the engine adapter, the engine adapter alone, and llama.cpp in-process (the reference).
 * The same prompts and seeds go to each, in alternating rounds, so the machine's noise falls on all.
 *
 * <p>Arguments: {@code --gateway URL --key KEY --engine URL --engine-secret SECRET --model-file GGUF [--requests N]
 * [--max-tokens N] [--rounds N] [--concurrency 1,2] [--warmup N] [--jit-warmup N]}: before the rounds, {@code --jit-warmup}
 * short requests (8 tokens) to each HTTP path, so that the JIT has compiled what the gateway and the adapter do once per
 * request (parsing, admission, journal, settlement), which takes thousands of requests (default 3,000); then
 * {@code --warmup} requests of the full length per path and concurrency (default 32: the relay of each token, connections,
 * slots), as in servers that have run a while.
 */
public final class EngineBench {

    private static final int JIT_WARMUP_TOKENS = 8;

    private EngineBench() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // llama.cpp leaves a non-daemon native thread behind, also when a run fails
    }

    private static void run(String[] args) throws Exception {
        Options options = new Options(args);
        int requests = options.getInt("requests", 8);
        int maxTokens = options.getInt("max-tokens", 256);
        int rounds = options.getInt("rounds", 3);
        int warmup = options.getInt("warmup", 32);
        int jitWarmup = options.getInt("jit-warmup", 3000);
        List<Integer> concurrencies = Arrays.stream(options.get("concurrency", "1,2").split(",")).map(Integer::parseInt).toList();
        String model = options.get("model", "demo-moe");

        try (InProcessTarget inProcess = new InProcessTarget(Path.of(options.require("model-file")))) {
            List<Target> targets = List.of(
                    new HttpTarget("gateway → adapter → llama.cpp", URI.create(options.require("gateway")), options.require("key"), model),
                    new HttpTarget("adapter → llama.cpp", URI.create(options.require("engine")), options.require("engine-secret"), model),
                    inProcess);
            var results = new Results("engine", "Demo model: gateway + adapter vs llama.cpp in-process",
                    "path", "concurrency", "requests", "tokens", "tokens/s", "TTFT p50 ms", "TTFT p99 ms", "overhead vs in-process");
            for (Target target : targets.stream().filter(t -> t instanceof HttpTarget).toList()) {
                System.out.printf("warming up %s: %,d requests of %d tokens …%n", target.name(), jitWarmup, JIT_WARMUP_TOKENS);
                batch(target, 1, jitWarmup, JIT_WARMUP_TOKENS, -jitWarmup);
            }
            for (int concurrency : concurrencies) {
                Map<Target, Stats> stats = new java.util.LinkedHashMap<>();
                targets.forEach(t -> stats.put(t, new Stats()));
                for (Target target : targets) {
                    batch(target, concurrency, warmup, maxTokens, 0); // warm-up: JIT, connections, slots
                }
                for (int round = 0; round < rounds; round++) {
                    for (Target target : targets) {
                        stats.get(target).add(batch(target, concurrency, requests, maxTokens, round * requests));
                    }
                }
                double reference = stats.get(inProcess).tokensPerSecond();
                for (Target target : targets) {
                    Stats s = stats.get(target);
                    results.row(target.name(), concurrency, s.requests(), s.tokens, "%.0f".formatted(s.tokensPerSecond()),
                            "%.2f".formatted(s.ttftPercentile(50)), "%.2f".formatted(s.ttftPercentile(99)),
                            target == inProcess ? "reference" : "%+.1f %% tokens/s".formatted(100 * (s.tokensPerSecond() / reference - 1)));
                }
            }
            results.note("Model: the generated demo MoE (deepseek2, random weights), " + maxTokens + " max tokens per request, "
                    + "the adapter's defaults (context 4096, 2 slots, 1 llama.cpp thread), streamed with usage.");
            results.note("Warm-up: " + jitWarmup + " requests of " + JIT_WARMUP_TOKENS + " tokens per HTTP path, then " + warmup
                    + " of the full length per path and concurrency, before the measured rounds.");
            results.note(rounds + " rounds per path, alternating; tokens/s = completion tokens / wall time of the round's requests.");
            results.note("TTFT = until the first non-empty text; over HTTP it includes connection reuse and the SSE parse of a client.");
            results.save(Path.of("bench", "results"));
        }
    }

    private static Stats batch(Target target, int concurrency, int requests, int maxTokens, int seedBase) throws Exception {
        Stats stats = new Stats();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            long start = System.nanoTime();
            List<Future<Target.Sample>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int n = seedBase + i;
                futures.add(pool.submit(() -> target.run("Request " + n + ": tell me a long story about experts.", maxTokens, 1000L + n)));
            }
            for (Future<Target.Sample> future : futures) {
                stats.samples.add(future.get());
            }
            stats.wallNanos = System.nanoTime() - start;
        }
        stats.tokens = stats.samples.stream().mapToLong(Target.Sample::completionTokens).sum();
        return stats;
    }

    /** Samples of one path; wall time and tokens add up over rounds. */
    private static final class Stats {
        final List<Target.Sample> samples = new ArrayList<>();
        long wallNanos;
        long tokens;

        void add(Stats round) {
            samples.addAll(round.samples);
            wallNanos += round.wallNanos;
            tokens += round.tokens;
        }

        int requests() {
            return samples.size();
        }

        double tokensPerSecond() {
            return tokens / (wallNanos / 1e9);
        }

        double ttftPercentile(int p) {
            long[] sorted = samples.stream().mapToLong(Target.Sample::ttftNanos).sorted().toArray();
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
        }
    }


}
