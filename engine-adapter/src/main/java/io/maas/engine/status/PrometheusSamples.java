package io.maas.engine.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads samples from Prometheus' text exposition format, to take an external engine's numbers
 * (vLLM's {@code /metrics}) as they are. Values of one metric name are summed over their label sets
 * (a vLLM with several engine cores reports one series per core); the label sets of each series are
 * kept too, for info metrics whose numbers are labels ({@code vllm:cache_config_info}). Lines it
 * cannot read are skipped: a scrape must never fail because of one exotic line.
 */
public final class PrometheusSamples {

    private final Map<String, Double> sums;
    private final Map<String, Integer> counts;
    private final Map<String, List<String>> labelSets;

    private PrometheusSamples(Map<String, Double> sums, Map<String, Integer> counts, Map<String, List<String>> labelSets) {
        this.sums = Map.copyOf(sums);
        this.counts = Map.copyOf(counts);
        this.labelSets = Map.copyOf(labelSets);
    }

    public static PrometheusSamples parse(String text) {
        Map<String, Double> sums = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, List<String>> labelSets = new HashMap<>();
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
                String name = trimmed.substring(0, nameEnd);
                sums.merge(name, value, Double::sum);
                counts.merge(name, 1, Integer::sum);
                if (labels >= 0) {
                    labelSets.computeIfAbsent(name, n -> new ArrayList<>()).add(trimmed.substring(labels + 1, valueStart - 1));
                }
            } catch (NumberFormatException e) {
                // not a sample line this reader understands
            }
        }
        return new PrometheusSamples(sums, counts, labelSets);
    }

    /** The sum of the samples named exactly {@code name}, if there were any. */
    public Optional<Double> value(String name) {
        return Optional.ofNullable(sums.get(name));
    }

    /** The mean of the samples named exactly {@code name}, if there were any. */
    public Optional<Double> mean(String name) {
        return value(name).map(sum -> sum / counts.get(name));
    }

    /** The labels of each series named exactly {@code name}, in the order they came; none when there were none. */
    public List<Map<String, String>> labels(String name) {
        return labelSets.getOrDefault(name, List.of()).stream().map(PrometheusSamples::labelsOf).toList();
    }

    /** {@code a="x",b="y\"z"} as a map; a set it cannot read ends where it stopped understanding it. */
    private static Map<String, String> labelsOf(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        int at = 0;
        while (at < text.length()) {
            int equals = text.indexOf('=', at);
            if (equals < 0 || equals + 1 >= text.length() || text.charAt(equals + 1) != '"') {
                break;
            }
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < text.length() && text.charAt(i) != '"'; i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    char escaped = text.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(text.substring(at, equals).strip(), value.toString());
            at = text.indexOf(',', i) < 0 ? text.length() : text.indexOf(',', i) + 1;
        }
        return labels;
    }
}
