package io.maas.bench.gateway;

import io.maas.api.sse.SseFrameReader;
import io.maas.api.sse.SseFrameReader.SseFrame;
import io.maas.bench.BenchDatabase;
import io.maas.bench.CpuTime;
import io.maas.bench.JarProcess;
import io.maas.bench.Options;
import io.maas.bench.Results;
import io.maas.bench.adapter.AdapterProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P2, streams: {@code streams} concurrent SSE streams from a simulated engine (the engine adapter's simulated runtime,
 * paced like a real engine) through the gateway with every guarantee on, and the same through nginx
 * ({@code proxy_pass}, {@code proxy_buffering off}), in alternating rounds of one run: errors, the time between two
 * events as the client sees it (inter-token latency, p50 and p99, and what the gateway adds over nginx), time to
 * first token, and the gateway's CPU time per relayed event (its JVM's CPU time over the round / events relayed).
 *
 * <p>Options: {@code --gateway-jar}, {@code --adapter-jar} (required), {@code --streams} (1000), {@code --tokens}
 * per answer (64), {@code --itl-ms} (35: within the 20–50 ms of real engines), {@code --rounds} (2), {@code --warmup}
 * seconds of streams through the gateway before the first round (120: until the JIT has compiled the relay; a shorter
 * warm-up measures the compiler competing with the gateway for the 2 cores), {@code --gateway-jvm} options for the
 * gateway's JVM, space-separated (none: its defaults).
 */
public final class StreamsBench {

    private static final String MODEL = "sim";

    private StreamsBench() {
    }

    /** One round through one target: gaps between events and first-token times (ns), events, errors, wall time. */
    private record Round(long[] gaps, long[] firstTokens, long events, long errors, long wallNanos) {

        long gap(int percentile) {
            return percentile(gaps, percentile);
        }

        long firstToken(int percentile) {
            return percentile(firstTokens, percentile);
        }

        private static long percentile(long[] sorted, int p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        var options = new Options(args);
        Path gatewayJar = Path.of(options.require("gateway-jar"));
        Path adapterJar = Path.of(options.require("adapter-jar"));
        int streams = options.getInt("streams", 1000);
        int tokens = options.getInt("tokens", 64);
        int itl = options.getInt("itl-ms", 35);
        int rounds = options.getInt("rounds", 2);
        Duration warmup = Duration.ofSeconds(options.getInt("warmup", 120));
        String jvm = options.get("gateway-jvm", "").strip();
        List<String> gatewayJvm = jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
        Path dir = Files.createDirectories(Path.of("bench", "target", "streams-bench"));
        try (BenchDatabase db = new BenchDatabase("streams")) {
            run(db, gatewayJar, gatewayJvm, adapterJar, dir, streams, tokens, itl, rounds, warmup);
        }
    }

    private static void run(BenchDatabase db, Path gatewayJar, List<String> gatewayJvm, Path adapterJar, Path dir, int streams, int tokens,
                            int itl, int rounds, Duration warmup) throws Exception {
        BenchTenant tenant = BenchTenant.create(db, MODEL, true);
        var results = new Results("streams", "P2: " + streams + " concurrent SSE streams, gateway vs nginx (proxy_buffering off), "
                + "simulated engine at " + itl + " ms per token",
                "round", "path", "streams", "errors", "events", "ITL p50", "ITL p99", "added ITL p99", "TTFT p50", "TTFT p99",
                "gateway CPU per event");
        List<Long> addedP99 = new ArrayList<>();
        List<Double> cpuPerEvent = new ArrayList<>();
        long errors = 0;
        try (AdapterProcess engine = new AdapterProcess(adapterJar, dir.resolve("adapter.log"), MODEL, List.of(
                     "time-to-first-token=50ms", "inter-token-latency=" + itl + "ms", "output.tokens=" + tokens,
                     "max-concurrency=" + (2 * streams), "queue-size=" + (2 * streams)));
             Nginx proxy = Nginx.streamProxy(dir, engine.base(), 2);
             JarProcess gateway = new JarProcess(gatewayJvm, gatewayJar, dir.resolve("gateway.log"),
                     List.of("--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                             "--spring.datasource.password=" + db.password(),
                             "--platform.gateway.models[0].name=" + MODEL, "--platform.gateway.models[0].endpoints[0]=" + engine.base(),
                             "--platform.gateway.routing.strategy=round-robin",
                             // the engine has a slot for every stream: the gateway's own cap per endpoint (64) would queue them
                             "--platform.gateway.routing.queue.max-in-flight-per-endpoint=" + (2 * streams),
                             "--platform.gateway.routing.queue.capacity=" + (2 * streams),
                             "--platform.gateway.usage-spool-dir=" + dir.resolve("usage-spool")))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            URI viaGateway = gateway.base().resolve("/v1/chat/completions");
            URI viaNginx = proxy.base().resolve("/v1/chat/completions");
            System.out.printf("warming up the gateway (%d s) and nginx …%n", warmup.toSeconds());
            for (long end = System.nanoTime() + warmup.toNanos(); System.nanoTime() - end < 0; ) {
                round(http, viaGateway, tenant.apiKey(), Math.min(streams, 200), tokens);
            }
            round(http, viaNginx, tenant.apiKey(), Math.min(streams, 200), tokens);
            for (int r = 1; r <= rounds; r++) {
                Round reference = round(http, viaNginx, tenant.apiKey(), streams, tokens);
                long cpuBefore = CpuTime.nanos(gateway.handle());
                Round guarded = round(http, viaGateway, tenant.apiKey(), streams, tokens);
                double perEvent = (CpuTime.nanos(gateway.handle()) - cpuBefore) / (double) Math.max(1, guarded.events());
                errors += reference.errors() + guarded.errors();
                addedP99.add(guarded.gap(99) - reference.gap(99));
                cpuPerEvent.add(perEvent);
                row(results, r, "nginx proxy_pass, proxy_buffering off (reference)", streams, reference, null, "-");
                row(results, r, "gateway: " + tenant.what(), streams, guarded, reference, "%.1f µs".formatted(perEvent / 1000));
            }
            results.note("Goal (issue 12, P2): 0 errors, inter-token latency added by the gateway ≤ 2 ms p99, its CPU per relayed event "
                    + "reported. This run: %d errors, added ITL p99 %s ms, gateway CPU per event %s µs (by round).".formatted(errors,
                    addedP99.stream().map(n -> "%+.2f".formatted(n / 1e6)).toList(),
                    cpuPerEvent.stream().map(n -> "%.1f".formatted(n / 1000)).toList()));
            results.note("Usage after the run: " + BenchTenant.ledgerCheck(db, tenant) + ".");
        }
        results.note("Engine: the engine adapter's simulated runtime (its runnable jar), time to first token 50 ms, " + itl
                + " ms between tokens, " + tokens + " tokens per answer, slots for every stream (and the gateway's per-endpoint "
                + "cap raised to match). Each round starts all streams "
                + "at once, one HTTP/1.1 connection and virtual thread per stream in the client JVM; ITL = time between two "
                + "consecutive events as the client receives them; TTFT from sending the request.");
        results.note("Gateway JVM options: " + (gatewayJvm.isEmpty() ? "none (its defaults)" : String.join(" ", gatewayJvm)) + ".");
        results.note("The client, nginx (2 workers), the adapter's JVM, the gateway's JVM and PostgreSQL all share this machine's "
                + "2 cores with other builds: compare the paths within a round, not numbers across runs.");
        results.save(Path.of("bench/results"));
    }

    private static void row(Results results, int round, String path, int streams, Round run, Round reference, String cpu) {
        results.row(round, path, streams, run.errors(), run.events(), ms(run.gap(50)), ms(run.gap(99)),
                reference == null ? "-" : "%+.2f ms".formatted((run.gap(99) - reference.gap(99)) / 1e6),
                ms(run.firstToken(50)), ms(run.firstToken(99)), cpu);
    }

    private static String ms(long nanos) {
        return "%.2f ms".formatted(nanos / 1e6);
    }

    /** {@code streams} streams started at once against {@code url}, each read to its end. */
    private static Round round(HttpClient http, URI url, String apiKey, int streams, int tokens) throws Exception {
        var events = new AtomicLong();
        var errors = new AtomicLong();
        List<long[]> gaps = new ArrayList<>();
        long[] firstTokens = new long[streams];
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<long[]>> all = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                int stream = i;
                all.add(clients.submit(() -> stream(http, url, apiKey, stream, tokens, firstTokens, events, errors)));
            }
            for (Future<long[]> each : all) {
                gaps.add(each.get());
            }
        }
        long wall = System.nanoTime() - start;
        long[] allGaps = gaps.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Arrays.sort(firstTokens);
        return new Round(allGaps, firstTokens, events.get(), errors.get(), wall);
    }

    /** One stream; returns the gaps between its events (ns); a failure counts as an error and has no gaps. */
    private static long[] stream(HttpClient http, URI url, String apiKey, int stream, int tokens, long[] firstTokens, AtomicLong events,
                                 AtomicLong errors) {
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"max_tokens\":" + tokens + ",\"seed\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Stream " + stream + ": tell me about the quarter.\"}]}";
        long[] gaps = new long[tokens + 8];
        int n = 0;
        try {
            long start = System.nanoTime();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + apiKey).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                errors.incrementAndGet();
                return new long[0];
            }
            long last = 0;
            boolean done = false;
            try (var reader = new SseFrameReader(response.body())) {
                SseFrame frame;
                while ((frame = reader.next()) != null) {
                    if (frame.isDone()) {
                        done = true;
                        break;
                    }
                    if (!frame.hasData()) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (last == 0) {
                        firstTokens[stream] = now - start;
                    } else if (n < gaps.length) {
                        gaps[n++] = now - last;
                    }
                    last = now;
                    events.incrementAndGet();
                }
            }
            if (!done) {
                errors.incrementAndGet();
            }
        } catch (Exception e) {
            errors.incrementAndGet();
        }
        return Arrays.copyOf(gaps, n);
    }
}
