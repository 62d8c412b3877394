package io.maas.engine.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTests {

    @Test
    void bucketsAreCumulativeABoundBelongsToItsBucketAndQuantilesInterpolate() {
        LatencyHistogram histogram = new LatencyHistogram(List.of(0.1, 0.2, 0.4));
        for (double seconds : new double[] {0.05, 0.1, 0.15, 0.3, 5.0}) {
            histogram.observe(seconds);
        }

        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.cumulative()).containsExactly(2, 3, 4, 5);
        assertThat(snapshot.count()).isEqualTo(5);
        assertThat(snapshot.sum()).isCloseTo(5.6, within(1e-9));
        assertThat(snapshot.quantile(0.5)).isCloseTo(0.15, within(1e-9)); // rank 2.5: half-way through (0.1, 0.2]
        assertThat(snapshot.quantile(0.99)).as("beyond the last bound").isEqualTo(0.4);
        assertThat(snapshot.latency().meanSeconds()).isCloseTo(1.12, within(1e-9));
        assertThat(new LatencyHistogram(List.of(1.0)).snapshot().latency().count()).isZero();
    }
}
