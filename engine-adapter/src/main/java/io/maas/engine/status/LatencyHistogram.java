package io.maas.engine.status;

import io.maas.api.engine.EngineStatus;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of seconds with fixed bucket bounds, safe to observe from many threads at
 * once without locking. Observations above the last bound fall in {@code +Inf} only.
 */
final class LatencyHistogram {

    /** vLLM's bounds for {@code vllm:time_to_first_token_seconds}. */
    static final List<Double> TTFT_BOUNDS = List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0);

    /** vLLM's bounds for {@code vllm:time_per_output_token_seconds}. */
    static final List<Double> TPOT_BOUNDS = List.of(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0);

    private final double[] bounds;
    private final LongAdder[] counts; // per bucket, not cumulative; the last is +Inf
    private final DoubleAdder sum = new DoubleAdder();

    /** A consistent-enough copy: cumulative counts per bound, then {@code +Inf} (= count), and the sum. */
    record Snapshot(double[] bounds, long[] cumulative, double sum) {

        long count() {
            return cumulative[cumulative.length - 1];
        }

        /**
         * The {@code q} quantile by linear interpolation inside its bucket, as {@code histogram_quantile}
         * does; the last finite bound when it falls in {@code +Inf}.
         */
        double quantile(double q) {
            long count = count();
            if (count == 0) {
                return 0;
            }
            double rank = q * count;
            for (int i = 0; i < bounds.length; i++) {
                if (cumulative[i] >= rank) {
                    double lower = i == 0 ? 0 : bounds[i - 1];
                    long below = i == 0 ? 0 : cumulative[i - 1];
                    long inBucket = cumulative[i] - below;
                    return inBucket == 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
                }
            }
            return bounds[bounds.length - 1];
        }

        EngineStatus.Latency latency() {
            long count = count();
            return count == 0 ? EngineStatus.Latency.NONE
                    : new EngineStatus.Latency(count, sum / count, quantile(0.5), quantile(0.99));
        }
    }

    LatencyHistogram(List<Double> bounds) {
        this.bounds = bounds.stream().mapToDouble(Double::doubleValue).toArray();
        this.counts = new LongAdder[this.bounds.length + 1];
        Arrays.setAll(counts, i -> new LongAdder());
    }

    void observe(double seconds) {
        int bucket = Arrays.binarySearch(bounds, seconds);
        counts[bucket >= 0 ? bucket : -bucket - 1].increment(); // a value equal to a bound belongs to it (le)
        sum.add(seconds);
    }

    void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    Snapshot snapshot() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, sum.sum());
    }
}
