package io.maas.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The cost of one prefix-affinity decision with many endpoints whose prefix indexes are full: what
 * the gateway spends per request before it calls an engine. Lives in the gateway's routing package
 * (in the benchmark module) to reach the pickers, which the gateway keeps package-private.
 */
public final class PickingCost {

    /** Quantiles in microseconds of picking, and of hashing the prompt before it. */
    public record Result(int endpoints, int blocksPerEndpoint, int decisions, int promptBlocks, double pickP50Micros,
                         double pickP99Micros, double hashP50Micros, double hashP99Micros) {
    }

    private PickingCost() {
    }

    /**
     * {@code endpoints} endpoints, each index filled with {@code blocksPerEndpoint} blocks of 3k-token
     * prompts (64 system prompts, each with many conversation tails); then {@code decisions} picks of
     * prompts sharing those system prompts, after a warm-up of the same size.
     */
    public static Result measure(int endpoints, int blocksPerEndpoint, int decisions) {
        RoutingProperties.Prefix settings = new RoutingProperties.Prefix(1.0, 0.5, 0.2, 8, 1.5, blocksPerEndpoint);
        List<Endpoint> all = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            all.add(new Endpoint(URI.create("http://10.0.0." + i + ":8000"), blocksPerEndpoint));
        }
        long stale = 1_000_000_000L;
        Picker picker = new PrefixAffinity(settings, new LeastLoad(stale), stale);
        String[] systems = new String[64];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < systems.length; i++) {
            systems[i] = "system prompt " + i + " " + "x".repeat(12_000 + random.nextInt(100));
        }
        for (Endpoint endpoint : all) {
            while (endpoint.prefixes().size() < blocksPerEndpoint) {
                endpoint.prefixes().sent(PromptBlocks.of(systems[random.nextInt(systems.length)] + " turn " + random.nextLong()
                        + "y".repeat(600)));
            }
        }
        String[] prompts = new String[1024];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = systems[random.nextInt(systems.length)] + " user " + random.nextLong() + "z".repeat(400);
        }
        long[] pick = new long[decisions];
        long[] hash = new long[decisions];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < decisions; i++) {
                long start = System.nanoTime();
                PromptBlocks blocks = PromptBlocks.of(prompts[i % prompts.length]);
                long hashed = System.nanoTime();
                picker.pick(all, blocks, hashed);
                long end = System.nanoTime();
                hash[i] = hashed - start;
                pick[i] = end - hashed;
            }
        }
        Arrays.sort(pick);
        Arrays.sort(hash);
        return new Result(endpoints, blocksPerEndpoint, decisions, PromptBlocks.of(prompts[0]).size(), micros(pick, 0.5),
                micros(pick, 0.99), micros(hash, 0.5), micros(hash, 0.99));
    }

    private static double micros(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1000.0;
    }
}
