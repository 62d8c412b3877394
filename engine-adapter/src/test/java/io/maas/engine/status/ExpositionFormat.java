package io.maas.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text format 0.0.4 for tests: every line must be a HELP, a TYPE or a
 * sample of the family last typed; histograms must have ascending {@code le} buckets with
 * non-decreasing counts, a {@code +Inf} bucket equal to {@code _count}, and a {@code _sum}.
 */
final class ExpositionFormat {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .+");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)} "
            + "([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: its full name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private ExpositionFormat() {
    }

    /** All samples, after checking every line; fails the test at the first line out of form. */
    static List<Sample> parse(String text) {
        assertThat(text).endsWith("\n");
        List<Sample> samples = new ArrayList<>();
        String family = null;
        String type = null;
        List<Sample> buckets = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher help = HELP.matcher(line);
            Matcher typed = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                checkHistogram(type, buckets, samples);
                family = help.group(1);
                type = null;
                buckets.clear();
            } else if (typed.matches()) {
                assertThat(typed.group(1)).as("TYPE follows the HELP of its family").isEqualTo(family);
                assertThat(type).as("one TYPE per family").isNull();
                type = typed.group(2);
            } else {
                assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
                assertThat(type).as("a TYPE before the samples of %s", family).isNotNull();
                String name = sample.group(1);
                List<String> allowed = switch (type) {
                    case "counter" -> List.of(family + "_total");
                    case "histogram" -> List.of(family + "_bucket", family + "_count", family + "_sum");
                    default -> List.of(family);
                };
                assertThat(allowed).as("sample %s belongs to family %s", name, family).contains(name);
                Map<String, String> labels = new HashMap<>();
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    assertThat(labels.put(label.group(1), label.group(2))).as("label %s once", label.group(1)).isNull();
                }
                Sample parsed = new Sample(name, labels, Double.parseDouble(sample.group(3).replace("Inf", "Infinity")));
                samples.add(parsed);
                if (name.endsWith("_bucket")) {
                    buckets.add(parsed);
                }
            }
        }
        checkHistogram(type, buckets, samples);
        return samples;
    }

    private static void checkHistogram(String type, List<Sample> buckets, List<Sample> samples) {
        if (!"histogram".equals(type)) {
            return;
        }
        assertThat(buckets).isNotEmpty();
        double previousBound = Double.NEGATIVE_INFINITY;
        double previousCount = 0;
        for (Sample bucket : buckets) {
            double bound = Double.parseDouble(bucket.labels().get("le").replace("+Inf", "Infinity"));
            assertThat(bound).isGreaterThan(previousBound);
            assertThat(bucket.value()).isGreaterThanOrEqualTo(previousCount);
            previousBound = bound;
            previousCount = bucket.value();
        }
        assertThat(previousBound).isEqualTo(Double.POSITIVE_INFINITY);
        String family = buckets.getFirst().name().replaceFirst("_bucket$", "");
        assertThat(value(samples, family + "_count")).isEqualTo(previousCount);
        assertThat(samples).anyMatch(s -> s.name().equals(family + "_sum"));
    }

    static double value(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }

    /** The cumulative count of the bucket {@code le} of a histogram. */
    static double bucket(List<Sample> samples, String family, String le) {
        return samples.stream().filter(s -> s.name().equals(family + "_bucket") && le.equals(s.labels().get("le")))
                .mapToDouble(Sample::value).findFirst().orElseThrow();
    }
}
