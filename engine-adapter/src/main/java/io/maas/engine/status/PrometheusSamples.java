package io.maas.engine.status;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads samples from Prometheus' text exposition format, to take an external engine's numbers
 * (vLLM's {@code /metrics}) as they are. Values of one metric name are summed over their label sets
 * (a vLLM with several engine cores reports one series per core). Lines it cannot read are skipped:
 * a scrape must never fail because of one exotic line.
 */
public final class PrometheusSamples {

    private final Map<String, Double> sums;
    private final Map<String, Integer> counts;

    private PrometheusSamples(Map<String, Double> sums, Map<String, Integer> counts) {
        this.sums = Map.copyOf(sums);
        this.counts = Map.copyOf(counts);
    }

    public static PrometheusSamples parse(String text) {
        Map<String, Double> sums = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int labels = trimmed.indexOf('{');
            int nameEnd = labels >= 0 ? labels : trimmed.indexOf(' ');
            int valueStart = labels >= 0 ? trimmed.lastIndexOf('}') + 1 : nameEnd;
            if (nameEnd <= 0 || valueStart <= 0) {
                continue;
            }
            String[] rest = trimmed.substring(valueStart).strip().split("\\s+"); // value [timestamp]
            try {
                double value = Double.parseDouble(rest[0].replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
                sums.merge(trimmed.substring(0, nameEnd), value, Double::sum);
                counts.merge(trimmed.substring(0, nameEnd), 1, Integer::sum);
            } catch (NumberFormatException e) {
                // not a sample line this reader understands
            }
        }
        return new PrometheusSamples(sums, counts);
    }

    /** The sum of the samples named exactly {@code name}, if there were any. */
    public Optional<Double> value(String name) {
        return Optional.ofNullable(sums.get(name));
    }

    /** The mean of the samples named exactly {@code name}, if there were any. */
    public Optional<Double> mean(String name) {
        return value(name).map(sum -> sum / counts.get(name));
    }
}
