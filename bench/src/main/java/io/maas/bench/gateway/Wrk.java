package io.maas.bench.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wrk} (on the PATH) POSTing one JSON body with an API key over {@code connections} kept-alive connections,
 * and what it measured: requests per second, latency percentiles, and the answers that were not 2xx.
 */
final class Wrk {

    /** One run's numbers; latencies in microseconds. */
    record Run(double requestsPerSecond, long requests, long non2xx, long socketErrors, double p50Micros, double p99Micros) {
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path script;
    private final int threads;
    private final int connections;

    Wrk(Path dir, String body, String apiKey, int threads, int connections) throws IOException {
        this.threads = threads;
        this.connections = connections;
        this.script = dir.resolve("post.lua");
        Files.writeString(script, """
                wrk.method = "POST"
                wrk.body = [[%s]]
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                """.formatted(body, apiKey));
    }

    Run run(URI url, Duration duration) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency", "--timeout", "10s", "-s", script.toString(), url.toString())
                .redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher socket = SOCKET.matcher(out);
        long socketErrors = 0;
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(socket.group(g));
            }
        }
        return new Run(Double.parseDouble(find(RATE, out, "0")), Long.parseLong(find(TOTAL, out, "0")),
                Long.parseLong(find(NON_2XX, out, "0")), socketErrors,
                percentile(out, "50"), percentile(out, "99"));
    }

    private static String find(Pattern pattern, String text, String absent) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : absent;
    }

    /** A line of wrk's latency distribution ({@code "     99%    2.31ms"}), in microseconds; NaN when wrk did not print it. */
    private static double percentile(String out, String which) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value;
            case "ms" -> value * 1_000;
            default -> value * 1_000_000;
        };
    }
}
