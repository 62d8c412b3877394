package io.maas.bench.routing;

import io.maas.api.keys.ApiKeySecret;
import io.maas.bench.BenchDatabase;
import io.maas.bench.Options;
import io.maas.bench.Results;
import io.maas.bench.adapter.AdapterProcess;
import io.maas.bench.JarProcess;
import io.maas.gateway.routing.PickingCost;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's pickers compared on one workload: {@code engines} simulated engine adapters (their
 * runnable jar, each a JVM) whose time to first token grows with the prompt tokens their bounded
 * LRU prefix cache does not hold; the gateway (its runnable jar) with {@code round-robin}, then
 * {@code least-load}, then {@code prefix-affinity}; multi-turn conversations ({@link Workload})
 * starting as a Poisson process, each turn streamed after the previous answer and a think time.
 * Each strategy gets a new salt in front of every system prompt, so no strategy finds the blocks of
 * another in the engines' caches. Cached tokens are the engines' own counts from the usage records;
 * time to first token is measured at the client; requests per endpoint from the usage records.
 * Then the cost of one decision with 64 endpoints and full prefix indexes ({@link PickingCost}).
 */
public final class RoutingBench {

    private static final List<String> STRATEGIES = List.of("round-robin", "least-load", "prefix-affinity");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String TENANT = "routing-bench";
    private static final AtomicInteger RETRIED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    private record Turn(String requestId, long ttftNanos) {
    }

    private record Outcome(String strategy, int requests, int failed, long promptTokens, long cachedTokens,
                           double ttftP50, double ttftP99, int busiest, int idlest) {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        if (options.get("only", "").equals("picking")) {
            PickingCost.Result cost = PickingCost.measure(64, options.getInt("cache-blocks", 512) * 8, 20_000);
            System.out.printf("picking p50 %.1f µs p99 %.1f µs; hashing p50 %.1f µs p99 %.1f µs%n", cost.pickP50Micros(),
                    cost.pickP99Micros(), cost.hashP50Micros(), cost.hashP99Micros());
            return;
        }
        Path jar = Path.of(options.require("jar"));
        Path gatewayJar = Path.of(options.require("gateway-jar"));
        int engines = options.getInt("engines", 4);
        int conversations = options.getInt("conversations", 200);
        int turns = options.getInt("turns", 6);
        double rate = Double.parseDouble(options.get("conversations-per-second", "2"));
        int thinkMillis = options.getInt("think-ms", 500);
        int cacheBlocks = options.getInt("cache-blocks", 512);
        int prefillMicros = options.getInt("prefill-us", 100);
        int slots = options.getInt("slots", 4);
        int systemPrompts = options.getInt("system-prompts", 8);
        Path logs = Files.createTempDirectory("routing-bench");
        List<String> settings = List.of("time-to-first-token=20ms", "inter-token-latency=10ms", "output.tokens=16",
                "prefill-per-token=" + prefillMicros + "us", "prefix-cache-blocks=" + cacheBlocks, "max-concurrency=" + slots,
                "context-size=16384");
        List<AdapterProcess> started = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        try (BenchDatabase db = new BenchDatabase("routing")) {
            String key = ApiKeySecret.generate();
            fundedTenant(db, key);
            for (int i = 0; i < engines; i++) {
                System.out.printf("… starting engine %d of %d%n", i + 1, engines);
                started.add(new AdapterProcess(jar, logs.resolve("engine-" + i + ".log"), "bench", settings));
            }
            Workload workload = new Workload(systemPrompts, 7);
            for (String strategy : STRATEGIES) {
                try (JarProcess gateway = gateway(gatewayJar, logs.resolve("gateway-" + strategy + ".log"), db, strategy,
                        started, cacheBlocks)) {
                    System.out.printf("… %s: warming up, then %d conversations × %d turns%n", strategy, conversations, turns);
                    run(gateway.base(), key, workload, "warm-up " + strategy, 8, 2, rate, thinkMillis);
                    List<Turn> done = run(gateway.base(), key, workload, strategy, conversations, turns, rate, thinkMillis);
                    outcomes.add(outcome(db, strategy, done, conversations * turns));
                }
            }
        } finally {
            started.forEach(AdapterProcess::close);
        }
        PickingCost.Result cost = PickingCost.measure(64, cacheBlocks * 8, 20_000);
        report(outcomes, cost, engines, conversations, turns, rate, thinkMillis, cacheBlocks, prefillMicros, slots, systemPrompts);
    }

    /**
     * The tenant of {@code key}, with credit enough for every run, priced as the demo is (deepseek-2026's
     * deepseek-flash prices for the model {@code bench}, in a book of its own).
     */
    private static void fundedTenant(BenchDatabase db, String key) throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID book = UUID.randomUUID();
        PriceBookVersion template = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026).versions().getFirst();
        var version = new PriceBookVersion(template.version(), template.effectiveFrom(),
                Map.of("bench", template.models().values().iterator().next()), template.schedule());
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            execute(c, "INSERT INTO price_book (id, name) VALUES (?, 'routing-bench')", book);
            execute(c, "INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, ?, ?, ?::jsonb)",
                    book, version.version(), Timestamp.from(version.effectiveFrom()), PricingJson.write(version));
            execute(c, "INSERT INTO tenant (id, name, price_book_id) VALUES (?, ?, ?)", tenant, TENANT, book);
            execute(c, "INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'bench', ?, ?)",
                    UUID.randomUUID(), tenant, ApiKeySecret.prefix(key), ApiKeySecret.hash(key));
            execute(c, """
                    INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, note, created_by)
                    VALUES (?, ?, 'GRANT', 'CNY', 100000000, 'routing benchmark', 'bench')""", UUID.randomUUID(), tenant);
        }
    }

    private static void execute(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }

    /** The gateway's runnable jar, as {@code ./platform up} runs it, with {@code strategy} for the model {@code bench}. */
    private static JarProcess gateway(Path jar, Path log, BenchDatabase db, String strategy, List<AdapterProcess> engines,
            int cacheBlocks) throws Exception {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(), "--spring.datasource.password=" + db.password(),
                "--platform.gateway.models[0].name=bench", "--platform.gateway.routing.strategy=" + strategy,
                "--platform.gateway.routing.prefix.blocks=" + cacheBlocks,
                "--platform.gateway.usage-spool-dir=" + log.resolveSibling("usage-spool")));
        for (int i = 0; i < engines.size(); i++) {
            args.add("--platform.gateway.models[0].endpoints[" + i + "]=" + engines.get(i).base());
        }
        return new JarProcess(jar, log, args);
    }

    private static List<Turn> run(URI gateway, String key, Workload workload, String salt, int conversations, int turns,
            double rate, int thinkMillis) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var done = new ConcurrentLinkedQueue<Turn>();
        SplittableRandom arrivals = new SplittableRandom(11);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < conversations; c++) {
                int conversation = c;
                long thinkSeed = 1000L + c;
                clients.submit(() -> {
                    try {
                        converse(http, gateway, key, workload, salt, conversation, turns, thinkMillis, thinkSeed, done);
                    } catch (Exception e) {
                        System.out.printf("conversation %d of %s ended early: %s%n", conversation, salt, e);
                    }
                });
                Thread.sleep(Math.round(-Math.log(1 - arrivals.nextDouble()) / rate * 1000));
            }
        }
        return List.copyOf(done);
    }

    private static void converse(HttpClient http, URI gateway, String key, Workload workload, String salt, int conversation,
            int turns, int thinkMillis, long thinkSeed, ConcurrentLinkedQueue<Turn> done) throws Exception {
        SplittableRandom think = new SplittableRandom(thinkSeed);
        ArrayNode messages = json.createArrayNode();
        messages.addObject().put("role", "system").put("content", workload.systemPrompt(conversation, salt));
        for (int turn = 0; turn < turns; turn++) {
            messages.addObject().put("role", "user").put("content", workload.userTurn(conversation, turn));
            ObjectNode body = json.createObjectNode().put("model", "bench").put("stream", true).put("max_tokens", 16);
            body.set("messages", messages);
            long start = System.nanoTime();
            HttpResponse<Stream<String>> response = send(http, gateway, key, body.toString());
            String requestId = response.headers().firstValue("x-request-id").orElse("");
            if (response.statusCode() != 200) {
                try (Stream<String> lines = response.body()) {
                    String error = String.join(" ", lines.toList());
                    if (REFUSED.getAndIncrement() < 5) {
                        System.out.printf("%s: HTTP %d %s%n", salt, response.statusCode(), error);
                    }
                }
                done.add(new Turn("", -1));
                messages.remove(messages.size() - 1);
                continue;
            }
            StringBuilder answer = new StringBuilder();
            long firstToken = 0;
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (!line.startsWith("data: {")) {
                        continue;
                    }
                    JsonNode content = json.readTree(line.substring(6)).at("/choices/0/delta/content");
                    if (content.isString() && !content.asString().isEmpty()) {
                        if (firstToken == 0) {
                            firstToken = System.nanoTime();
                        }
                        answer.append(content.asString());
                    }
                }
            }
            done.add(new Turn(response.statusCode() == 200 ? requestId : "", firstToken == 0 ? -1 : firstToken - start));
            messages.addObject().put("role", "assistant").put("content", answer.toString());
            Thread.sleep(Math.round(-Math.log(1 - think.nextDouble()) * thinkMillis));
        }
    }

    /**
     * Sends one turn; a connection the gateway closed before answering (Tomcat closes a keep-alive
     * connection after 100 requests, and the client may pick it at that moment) is retried once on a
     * new one, as the OpenAI SDKs do. Such a request never reached the gateway, so nothing is counted twice.
     */
    private static HttpResponse<Stream<String>> send(HttpClient http, URI gateway, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException closed) {
            RETRIED.incrementAndGet();
            return http.send(request, HttpResponse.BodyHandlers.ofLines());
        }
    }

    private static Outcome outcome(BenchDatabase db, String strategy, List<Turn> turns, int expected) throws Exception {
        List<Double> ttft = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Turn turn : turns) {
            if (!turn.requestId().isEmpty() && turn.ttftNanos() > 0) {
                ttft.add(turn.ttftNanos() / 1e6);
                ids.add(turn.requestId());
            }
        }
        Collections.sort(ttft);
        long prompt = 0;
        long cached = 0;
        Map<String, Integer> perEndpoint = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement st = c.prepareStatement("SELECT endpoint, prompt_tokens, prompt_cache_hit_tokens FROM usage_record "
                     + "WHERE request_id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    perEndpoint.merge(rs.getString(1), 1, Integer::sum);
                    prompt += rs.getLong(2);
                    cached += rs.getLong(3);
                }
            }
        }
        int busiest = perEndpoint.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int idlest = perEndpoint.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return new Outcome(strategy, ids.size(), expected - ids.size(), prompt, cached, quantile(ttft, 0.5), quantile(ttft, 0.99),
                busiest, idlest);
    }

    private static double quantile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void report(List<Outcome> outcomes, PickingCost.Result cost, int engines, int conversations, int turns, double rate,
            int thinkMillis, int cacheBlocks, int prefillMicros, int slots, int systemPrompts) {
        Results results = new Results("routing", "Routing: round-robin vs least-load vs prefix-affinity on multi-turn conversations",
                "strategy", "requests", "failed", "prompt tokens", "cached tokens", "cached share", "TTFT p50 ms", "TTFT p99 ms",
                "requests per endpoint max/min");
        for (Outcome o : outcomes) {
            results.row(o.strategy(), o.requests(), o.failed(), o.promptTokens(), o.cachedTokens(),
                    "%.1f %%".formatted(100.0 * o.cachedTokens() / Math.max(1, o.promptTokens())), "%.1f".formatted(o.ttftP50()),
                    "%.1f".formatted(o.ttftP99()), o.busiest() + "/" + o.idlest() + " (%.2f×)".formatted((double) o.busiest()
                            / Math.max(1, o.idlest())));
        }
        Outcome rr = outcomes.getFirst();
        Outcome pa = outcomes.getLast();
        double cachedRatio = (double) pa.cachedTokens() / Math.max(1, rr.cachedTokens());
        double ttftRatio = pa.ttftP50() / Math.max(1e-9, rr.ttftP50());
        double spread = (double) pa.busiest() / Math.max(1, pa.idlest());
        results.note("Goal, prefix-affinity against round-robin: cached tokens ≥ 3× — %.2f× (%s); TTFT p50 ≤ 0.6× — %.2f× (%s); busiest endpoint within 1.5× of the idlest — %.2f× (%s)."
                .formatted(cachedRatio, cachedRatio >= 3 ? "met" : "missed", ttftRatio, ttftRatio <= 0.6 ? "met" : "missed",
                        spread, spread <= 1.5 ? "met" : "missed"));
        results.note("Picking cost, prefix-affinity over %d endpoints whose prefix indexes are full (%d blocks each), %d decisions on one thread: p50 %.1f µs, p99 %.1f µs; hashing the prompt (%d blocks) before it: p50 %.1f µs, p99 %.1f µs."
                .formatted(cost.endpoints(), cost.blocksPerEndpoint(), cost.decisions(), cost.pickP50Micros(), cost.pickP99Micros(),
                        cost.promptBlocks(), cost.hashP50Micros(), cost.hashP99Micros()));
        results.note("Workload: %d conversations × %d turns (each turn's prompt is the whole history), %d system prompts of 2–4k tokens shared by the conversations in turn, conversations starting as a Poisson process at %.1f/s, %d ms mean think time between turns, 16 output tokens a turn, streamed."
                .formatted(conversations, turns, systemPrompts, rate, thinkMillis));
        results.note("Engines: %d simulated engine adapters (runnable jar, one JVM each), %d slots each, time to first token 20 ms + %d µs per prompt token not in the prefix cache, 10 ms per output token, prefix cache %d blocks of 16 tokens (LRU, tail first); the gateway from its runnable jar, restarted per strategy, its prefix index sized to the same %d blocks, defaults otherwise (weights 1.0/0.5/0.2, bounded load 8 and 1.5×)."
                .formatted(engines, slots, prefillMicros, cacheBlocks, cacheBlocks));
        results.note("Turns sent again on a new connection after the gateway closed a kept-alive one before answering (as SDKs retry): " + RETRIED.get()
                + "; turns the gateway refused: " + REFUSED.get() + ".");
        results.note("Cached tokens are the engines' own counts (prompt_cache_hit_tokens of the usage records); TTFT from sending the request to the first content token at the client; a new salt in front of the system prompts per strategy keeps the strategies from reusing each other's cache; each gateway first serves 8 conversations × 2 turns of warm-up (not counted).");
        results.save(Path.of("bench", "results"));
    }
}
