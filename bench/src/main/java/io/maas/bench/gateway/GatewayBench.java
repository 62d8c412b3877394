package io.maas.bench.gateway;

import io.maas.bench.BenchDatabase;
import io.maas.bench.CpuTime;
import io.maas.bench.JarProcess;
import io.maas.bench.Options;
import io.maas.bench.Results;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * P1, non-stream requests: the gateway against nginx, both in front of the same canned engine (an nginx
 * answering every chat completion at once with a canned answer that carries usage), driven by {@code wrk}
 * with {@code connections} kept-alive connections, in one run.
 * <ul>
 *   <li>reference: nginx {@code proxy_pass} with 2 worker processes and kept-alive upstream connections;</li>
 *   <li>gateway, every guarantee on: API key authentication, RPM, TPM and concurrency limits on tenant and key,
 *       a prepaid balance and a monthly spend limit (the worst case reserved before the engine is called),
 *       a durable usage record, priced ledger entry and roll-up per request before its answer;</li>
 *   <li>gateway, a postpaid tenant without limits (authentication and the usage record only).</li>
 * </ul>
 * Rounds alternate reference and gateway, so that both see the same machine. The gateway runs with a flight
 * recording; its hottest methods go into the result. After the run, the usage records and ledger entries in
 * PostgreSQL are counted against the 2xx answers wrk received.
 *
 * <p>Options: {@code --jar} the gateway's runnable jar (required), {@code --seconds} per measurement (default 15),
 * {@code --connections} (64), {@code --rounds} (2), {@code --warmup} seconds of both gateway tenants' load at once
 * before the first round (60: the JIT has then compiled the gateway's request path; with less, the first rounds
 * measure the compiler competing with the gateway for the 2 cores).
 */
public final class GatewayBench {

    private static final String MODEL = "bench";
    private static final String BODY = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
            + "{\"role\":\"user\",\"content\":\"Hello, how are you today?\"}],\"max_tokens\":64}";
    private static final String ANSWER = "{\"id\":\"chatcmpl-canned\",\"object\":\"chat.completion\",\"created\":1764460800,\"model\":\""
            + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Fine, thanks.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":4,\"total_tokens\":25,"
            + "\"prompt_cache_hit_tokens\":0,\"prompt_cache_miss_tokens\":21}}";
    private static final String STATUS = "{\"model\":\"" + MODEL + "\",\"runtime\":\"canned\",\"state\":\"ready\",\"running\":0,"
            + "\"waiting\":0,\"kvCacheUsage\":0.0,\"prefixCacheQueries\":0,\"prefixCacheHits\":0}";

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        var options = new Options(args);
        Path jar = Path.of(options.require("jar"));
        Duration seconds = Duration.ofSeconds(options.getInt("seconds", 15));
        int connections = options.getInt("connections", 64);
        int rounds = Math.max(1, options.getInt("rounds", 2));
        Duration warmup = Duration.ofSeconds(options.getInt("warmup", 60));
        Path dir = Files.createDirectories(Path.of("bench", "target", "gateway-bench"));
        try (BenchDatabase db = new BenchDatabase("gateway")) {
            run(db, jar, dir, seconds, connections, rounds, warmup);
        }
    }

    private static void run(BenchDatabase db, Path jar, Path dir, Duration seconds, int connections, int rounds, Duration warmup)
            throws Exception {
        BenchTenant full = BenchTenant.create(db, MODEL, true);
        BenchTenant plain = BenchTenant.create(db, MODEL, false);
        Path recording = dir.resolve("gateway.jfr").toAbsolutePath();
        Files.deleteIfExists(recording);
        var results = new Results("gateway", "P1: non-stream requests, gateway vs nginx proxy_pass to the same canned engine, "
                + connections + " connections",
                "round", "target", "requests/s", "p50", "p99", "non-2xx", "vs nginx (req/s)", "added p50", "added p99");
        List<Double> ratios = new ArrayList<>();
        List<Double> addedP50 = new ArrayList<>();
        List<Double> addedP99 = new ArrayList<>();
        long answered = 0;
        var cpu = new CpuPerRequest();
        try (Nginx engine = Nginx.cannedEngine(dir, ANSWER, STATUS);
             Nginx proxy = Nginx.reverseProxy(dir, engine.base(), 2);
             JarProcess gateway = new JarProcess(List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true"),
                     jar, dir.resolve("gateway.log"),
                     List.of("--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                             "--spring.datasource.password=" + db.password(),
                             "--platform.gateway.models[0].name=" + MODEL, "--platform.gateway.models[0].endpoints[0]=" + engine.base(),
                             "--platform.gateway.routing.strategy=round-robin",
                             "--platform.gateway.usage-spool-dir=" + dir.resolve("usage-spool")))) {
            Wrk fullLoad = new Wrk(dir, BODY, full.apiKey(), 2, connections);
            Wrk plainLoad = new Wrk(Files.createDirectories(dir.resolve("plain")), BODY, plain.apiKey(), 2, connections);
            var url = gateway.base().resolve("/v1/chat/completions");
            System.out.printf("warming up the gateway (%d s, both tenants at once) and nginx …%n", warmup.toSeconds());
            warmUp(fullLoad, plainLoad, url, warmup);
            fullLoad.run(proxy.base().resolve("/v1/chat/completions"), Duration.ofSeconds(3));
            answered += full.records(db) + plain.records(db);
            long before = answered;
            long fullAnswered = 0;
            for (int round = 1; round <= rounds; round++) {
                Wrk.Run reference = fullLoad.run(proxy.base().resolve("/v1/chat/completions"), seconds);
                row(results, round, "nginx proxy_pass, 2 workers (reference)", reference, null);
                long gatewayCpu = CpuTime.nanos(gateway.handle());
                long postgresCpu = CpuTime.postgresNanos();
                Wrk.Run guarded = check(fullLoad.run(url, seconds), "gateway");
                cpu.add(guarded.requests(), CpuTime.nanos(gateway.handle()) - gatewayCpu, CpuTime.postgresNanos() - postgresCpu);
                fullAnswered += guarded.requests() - guarded.non2xx();
                row(results, round, "gateway: " + full.what(), guarded, reference);
                ratios.add(guarded.requestsPerSecond() / reference.requestsPerSecond());
                addedP50.add(guarded.p50Micros() - reference.p50Micros());
                addedP99.add(guarded.p99Micros() - reference.p99Micros());
                Wrk.Run bare = check(plainLoad.run(url, seconds), "gateway (postpaid)");
                row(results, round, "gateway: " + plain.what(), bare, reference);
            }
            Wrk single = new Wrk(Files.createDirectories(dir.resolve("single")), BODY, full.apiKey(), 1, 1);
            Wrk.Run nginxAlone = single.run(proxy.base().resolve("/v1/chat/completions"), seconds);
            row(results, "1 conn.", "nginx proxy_pass, one connection (reference)", nginxAlone, null);
            Wrk.Run gatewayAlone = check(single.run(url, seconds), "gateway, one connection");
            row(results, "1 conn.", "gateway: " + full.what() + ", one connection", gatewayAlone, nginxAlone);
            double commit = db.commitMicros(500);
            long recorded = full.records(db) + plain.records(db) - before;
            results.note("Goal (issue 12, P1): gateway ≥ 0.5× nginx's requests/s, latency added ≤ 1 ms p50 and ≤ 3 ms p99. This run, "
                    + "with every guarantee on, median over rounds: %.3f× nginx, %+.2f ms p50, %+.2f ms p99.".formatted(
                    median(ratios), median(addedP50) / 1000, median(addedP99) / 1000));
            results.note(("Latency without queueing (one connection): the gateway adds %+.2f ms p50. A request waits for two durable "
                    + "commits: its journal entry before the engine is called, its usage record before its answer (group-committed "
                    + "with the requests around it, but each waits for a flush of the disk); one durable commit on this PostgreSQL "
                    + "takes %.2f ms p50 (a one-row INSERT, 500 in a row), so no gateway that keeps these guarantees on this "
                    + "disk adds less than about %.1f ms.").formatted((gatewayAlone.p50Micros() - nginxAlone.p50Micros()) / 1000,
                    commit / 1000, 2 * commit / 1000));
            results.note(cpu.note(Runtime.getRuntime().availableProcessors()));
            results.note("Every answer has its usage record: " + BenchTenant.ledgerCheck(db, full, plain) + "; the gateway "
                    + "answered " + fullAnswered + " requests with 2xx in the measured rounds of the guarded tenant; records written "
                    + "in the measured rounds, both tenants: " + recorded + ".");
        }
        results.note("wrk -t2 -c" + connections + " -d" + seconds.toSeconds() + "s --latency, POST of a " + BODY.length()
                + "-byte chat request (max_tokens 64), answered by the canned engine with a " + ANSWER.length() + "-byte completion "
                + "with usage. Rounds alternate nginx and the gateway; wrk, nginx (canned engine: 1 worker; proxy: 2 workers), "
                + "the gateway's JVM and PostgreSQL all share this machine's cores, and other builds ran on it too: compare "
                + "ratios within a round, not absolute numbers across runs.");
        results.note("Gateway: its runnable jar with its defaults (virtual threads, Hikari pool of 10, INFO log of each request "
                + "to a file), one static route to the canned engine, round-robin; a flight recording (settings=profile) ran throughout.");
        results.section("Gateway's hottest methods (JFR execution samples, jfr view hot-methods)", hotMethods(recording));
        results.save(Path.of("bench/results"));
    }

    /** CPU time of the gateway and of PostgreSQL over the measured rounds of the guarded tenant, per request. */
    private static final class CpuPerRequest {
        private long requests;
        private long gatewayNanos;
        private long postgresNanos;

        void add(long roundRequests, long gateway, long postgres) {
            requests += roundRequests;
            gatewayNanos += gateway;
            postgresNanos += postgres;
        }

        String note(int cores) {
            double postgres = postgresNanos / 1e3 / Math.max(1, requests);
            return ("CPU time per request in the measured rounds of the guarded tenant: the gateway's JVM %.0f µs, PostgreSQL "
                    + "(all its processes) %.0f µs. PostgreSQL's share alone would cap this machine's %d cores at %,.0f requests/s, "
                    + "if nothing else ran on them.").formatted(gatewayNanos / 1e3 / Math.max(1, requests), postgres, cores,
                    cores * 1e6 / Math.max(1, postgres));
        }
    }

    /**
     * Both tenants' requests at once, so that the JIT compiles the gateway for the mix of paths the rounds take (one
     * tenant at a time would leave the other's branches uncompiled, and each switch would deoptimize and recompile).
     */
    private static void warmUp(Wrk full, Wrk plain, URI url, Duration warmup) throws Exception {
        try (var both = Executors.newFixedThreadPool(2)) {
            var guarded = both.submit(() -> check(full.run(url, warmup), "gateway warm-up"));
            var postpaid = both.submit(() -> check(plain.run(url, warmup), "gateway warm-up (postpaid)"));
            guarded.get();
            postpaid.get();
        }
    }

    private static Wrk.Run check(Wrk.Run run, String what) {
        if (run.requests() == 0 || run.non2xx() > 0 || run.socketErrors() > 0) {
            System.out.printf("WARNING %s: %d requests, %d not 2xx, %d socket errors (see bench/target/gateway-bench/gateway.log)%n",
                    what, run.requests(), run.non2xx(), run.socketErrors());
        }
        return run;
    }

    private static void row(Results results, Object round, String target, Wrk.Run run, Wrk.Run reference) {
        results.row(round, target, "%,.0f".formatted(run.requestsPerSecond()), ms(run.p50Micros()), ms(run.p99Micros()),
                run.non2xx() + run.socketErrors(),
                reference == null ? "1" : "%.3f×".formatted(run.requestsPerSecond() / reference.requestsPerSecond()),
                reference == null ? "-" : ms(run.p50Micros() - reference.p50Micros()),
                reference == null ? "-" : ms(run.p99Micros() - reference.p99Micros()));
    }

    private static String ms(double micros) {
        return "%.2f ms".formatted(micros / 1000);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The top of {@code jfr view hot-methods} of the recording, or why there is none. */
    private static String hotMethods(Path recording) throws Exception {
        if (!Files.exists(recording)) {
            return "(no recording was written)";
        }
        Process jfr = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(), "view", "--width", "160",
                "hot-methods", recording.toString()).redirectErrorStream(true).start();
        String out = new String(jfr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jfr.waitFor();
        return out.lines().limit(30).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
