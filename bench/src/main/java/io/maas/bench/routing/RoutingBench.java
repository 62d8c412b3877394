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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's pickers compared on one workload, on two sets of engines: {@code engines} simulated
 * engine adapters (their runnable jar, each a JVM) whose time to first token grows with the prompt
 * tokens their bounded LRU prefix cache does not hold, then {@code llama-engines} engine adapters
 * running the demo model on llama.cpp (the same workload scaled down to what the CPU does in a few
 * minutes). On each, the gateway (its runnable jar) with {@code round-robin}, then {@code least-load},
 * then {@code prefix-affinity}; multi-turn conversations ({@link Workload}) starting as a Poisson
 * process, each turn streamed after the previous answer and a think time. Each strategy gets a new
 * salt in front of every system prompt, so no strategy finds the blocks of another in the engines'
 * caches. Cached tokens are the engines' own counts from the usage records; time to first token is
 * measured at the client; requests per endpoint from the usage records. Then the cost of one decision
 * with 64 endpoints and full prefix indexes ({@link PickingCost}).
 */
public final class RoutingBench {

    private static final List<String> STRATEGIES = List.of("round-robin", "least-load", "prefix-affinity");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String TENANT = "routing-bench";
    private static final AtomicInteger RETRIED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final Pattern DECISION = Pattern.compile("(?m)^gateway_routing_decisions_total\\{[^}]*reason=\"([^\"]+)\"[^}]*} (\\S+)$");

    private record Turn(String requestId, int conversation, int index, long ttftNanos) {
    }

    private record Outcome(String engines, String strategy, int requests, int failed, long promptTokens, long cachedTokens,
                           int laterTurns, int laterTurnsCached, int laterTurnsWithHistory, double ttftP50, double ttftP99,
                           int busiest, int idlest, Map<String, Long> decisions) {
    }

    /** One comparison: the engines, and the workload sent through each strategy. */
    private record Run(String engines, List<URI> endpoints, Workload workload, int conversations, int turns, double rate,
                       int thinkMillis, int maxTokens) {
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
        double rate = Double.parseDouble(options.get("conversations-per-second", "3"));
        int thinkMillis = options.getInt("think-ms", 500);
        int cacheBlocks = options.getInt("cache-blocks", 512);
        int prefillMicros = options.getInt("prefill-us", 100);
        int slots = options.getInt("slots", 4);
        int systemPrompts = options.getInt("system-prompts", 8);
        int llamaEngines = options.getInt("llama-engines", 2);
        int llamaConversations = options.getInt("llama-conversations", 24);
        int llamaTurns = options.getInt("llama-turns", 4);
        double llamaRate = Double.parseDouble(options.get("llama-conversations-per-second", "0.5"));
        int llamaThinkMillis = options.getInt("llama-think-ms", 1000);
        int llamaSystemPrompts = options.getInt("llama-system-prompts", 4);
        Path logs = Files.createTempDirectory("routing-bench");
        List<String> settings = List.of("time-to-first-token=20ms", "inter-token-latency=10ms", "output.tokens=16",
                "prefill-per-token=" + prefillMicros + "us", "prefix-cache-blocks=" + cacheBlocks, "max-concurrency=" + slots,
                "context-size=16384");
        List<Outcome> outcomes = new ArrayList<>();
        try (BenchDatabase db = new BenchDatabase("routing")) {
            String key = ApiKeySecret.generate();
            fundedTenant(db, key);
            List<AdapterProcess> simulated = new ArrayList<>();
            try {
                for (int i = 0; i < engines; i++) {
                    System.out.printf("… starting simulated engine %d of %d%n", i + 1, engines);
                    simulated.add(new AdapterProcess(jar, logs.resolve("engine-" + i + ".log"), "bench", settings));
                }
                if (!simulated.isEmpty()) {
                    outcomes.addAll(compare(gatewayJar, logs, db, key, new Run(engines + " simulated", bases(simulated),
                            Workload.simulated(systemPrompts, 7), conversations, turns, rate, thinkMillis, 16)));
                }
            } finally {
                simulated.forEach(AdapterProcess::close);
            }
            List<AdapterProcess> llama = new ArrayList<>();
            try {
                for (int i = 0; i < llamaEngines; i++) {
                    System.out.printf("… starting llama.cpp engine %d of %d (demo model)%n", i + 1, llamaEngines);
                    llama.add(AdapterProcess.llamaCpp(jar, logs.resolve("llama-" + i + ".log"), "bench", logs.resolve("models"),
                            List.of("threads=1", "parallel=4", "context-size=4096")));
                }
                if (!llama.isEmpty()) {
                    outcomes.addAll(compare(gatewayJar, logs, db, key, new Run(llamaEngines + " llama.cpp", bases(llama),
                            Workload.demoModel(llamaSystemPrompts, 7), llamaConversations, llamaTurns, llamaRate, llamaThinkMillis, 8)));
                }
            } finally {
                llama.forEach(AdapterProcess::close);
            }
        }
        PickingCost.Result cost = PickingCost.measure(64, cacheBlocks * 8, 20_000);
        report(outcomes, cost, engines, conversations, turns, rate, thinkMillis, cacheBlocks, prefillMicros, slots, systemPrompts,
                llamaEngines, llamaConversations, llamaTurns, llamaRate, llamaThinkMillis, llamaSystemPrompts);
    }

    private static List<URI> bases(List<AdapterProcess> engines) {
        return engines.stream().map(AdapterProcess::base).toList();
    }

    /** The run's workload through each strategy, a gateway started afresh for each, after a warm-up that is not counted. */
    private static List<Outcome> compare(Path gatewayJar, Path logs, BenchDatabase db, String key, Run run) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (String strategy : STRATEGIES) {
            String name = run.engines().replace(' ', '-') + "-" + strategy;
            try (JarProcess gateway = gateway(gatewayJar, logs.resolve("gateway-" + name + ".log"), db, strategy,
                    run.endpoints())) {
                System.out.printf("… %s, %s: warming up, then %d conversations × %d turns%n", run.engines(), strategy,
                        run.conversations(), run.turns());
                send(gateway.base(), key, run, "warm-up " + name, 4, 2);
                Map<String, Long> before = decisions(gateway.base());
                List<Turn> done = send(gateway.base(), key, run, name, run.conversations(), run.turns());
                Map<String, Long> decisions = new TreeMap<>(decisions(gateway.base()));
                before.forEach((reason, count) -> decisions.merge(reason, -count, Long::sum));
                decisions.values().removeIf(count -> count == 0);
                outcomes.add(outcome(db, run.engines(), strategy, done, run.conversations() * run.turns(), decisions));
            }
        }
        return outcomes;
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

    /** The gateway's routing decisions so far by reason, from {@code gateway_routing_decisions_total} on its {@code /metrics}. */
    private static Map<String, Long> decisions(URI gateway) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> decisions = new TreeMap<>();
        Matcher sample = DECISION.matcher(metrics);
        while (sample.find()) {
            decisions.merge(sample.group(1), Math.round(Double.parseDouble(sample.group(2))), Long::sum);
        }
        return decisions;
    }

    /**
     * The gateway's runnable jar, as {@code ./platform up} runs it, with {@code strategy} for the model {@code bench};
     * its prefix index is sized from the KV capacity the engines report.
     */
    private static JarProcess gateway(Path jar, Path log, BenchDatabase db, String strategy, List<URI> engines)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(), "--spring.datasource.password=" + db.password(),
                "--platform.gateway.models[0].name=bench", "--platform.gateway.routing.strategy=" + strategy,
                "--platform.gateway.usage-spool-dir=" + log.resolveSibling("usage-spool")));
        for (int i = 0; i < engines.size(); i++) {
            args.add("--platform.gateway.models[0].endpoints[" + i + "]=" + engines.get(i));
        }
        return new JarProcess(jar, log, args);
    }

    private static List<Turn> send(URI gateway, String key, Run run, String salt, int conversations, int turns) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var done = new ConcurrentLinkedQueue<Turn>();
        SplittableRandom arrivals = new SplittableRandom(11);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < conversations; c++) {
                int conversation = c;
                long thinkSeed = 1000L + c;
                clients.submit(() -> {
                    try {
                        converse(http, gateway, key, run, salt, conversation, turns, thinkSeed, done);
                    } catch (Exception e) {
                        System.out.printf("conversation %d of %s ended early: %s%n", conversation, salt, e);
                    }
                });
                Thread.sleep(Math.round(-Math.log(1 - arrivals.nextDouble()) / run.rate() * 1000));
            }
        }
        return List.copyOf(done);
    }

    private static void converse(HttpClient http, URI gateway, String key, Run run, String salt, int conversation,
            int turns, long thinkSeed, ConcurrentLinkedQueue<Turn> done) throws Exception {
        SplittableRandom think = new SplittableRandom(thinkSeed);
        ArrayNode messages = json.createArrayNode();
        messages.addObject().put("role", "system").put("content", run.workload().systemPrompt(conversation, salt));
        for (int turn = 0; turn < turns; turn++) {
            messages.addObject().put("role", "user").put("content", run.workload().userTurn(conversation, turn));
            ObjectNode body = json.createObjectNode().put("model", "bench").put("stream", true).put("max_tokens", run.maxTokens());
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
                done.add(new Turn("", conversation, turn, -1));
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
            done.add(new Turn(response.statusCode() == 200 ? requestId : "", conversation, turn,
                    firstToken == 0 ? -1 : firstToken - start));
            messages.addObject().put("role", "assistant").put("content", answer.toString());
            Thread.sleep(Math.round(-Math.log(1 - think.nextDouble()) * run.thinkMillis()));
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

    /**
     * The run's numbers from the usage records. A later turn (second or later of its conversation) has a hit when the
     * engine found any of its prompt cached, and found its history when the cache held at least its previous turn's
     * prompt, less one block of 16 tokens (an engine caches whole blocks, and computes a prompt's last token again).
     */
    private static Outcome outcome(BenchDatabase db, String engines, String strategy, List<Turn> turns, int expected,
            Map<String, Long> decisions) throws Exception {
        List<Double> ttft = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, String> previous = new HashMap<>(); // a later turn's request id -> its previous turn's
        Map<List<Integer>, String> byPosition = new HashMap<>();
        for (Turn turn : turns) {
            if (!turn.requestId().isEmpty() && turn.ttftNanos() > 0) {
                ttft.add(turn.ttftNanos() / 1e6);
                ids.add(turn.requestId());
                byPosition.put(List.of(turn.conversation(), turn.index()), turn.requestId());
            }
        }
        byPosition.forEach((position, requestId) -> {
            String before = byPosition.get(List.of(position.get(0), position.get(1) - 1));
            if (before != null) {
                previous.put(requestId, before);
            }
        });
        Collections.sort(ttft);
        long prompt = 0;
        long cached = 0;
        Map<String, long[]> usage = new HashMap<>();
        Map<String, Integer> perEndpoint = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement st = c.prepareStatement("SELECT endpoint, prompt_tokens, prompt_cache_hit_tokens, request_id "
                     + "FROM usage_record WHERE request_id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    perEndpoint.merge(rs.getString(1), 1, Integer::sum);
                    prompt += rs.getLong(2);
                    cached += rs.getLong(3);
                    usage.put(rs.getString(4), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        int laterTurnsCached = 0;
        int laterTurnsWithHistory = 0;
        for (Map.Entry<String, String> later : previous.entrySet()) {
            long[] now = usage.get(later.getKey());
            long[] before = usage.get(later.getValue());
            if (now != null && now[1] > 0) {
                laterTurnsCached++;
            }
            if (now != null && before != null && now[1] >= before[0] - 16) {
                laterTurnsWithHistory++;
            }
        }
        int busiest = perEndpoint.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int idlest = perEndpoint.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return new Outcome(engines, strategy, ids.size(), expected - ids.size(), prompt, cached, previous.size(), laterTurnsCached,
                laterTurnsWithHistory, quantile(ttft, 0.5), quantile(ttft, 0.99), busiest, idlest, decisions);
    }

    private static double quantile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void report(List<Outcome> outcomes, PickingCost.Result cost, int engines, int conversations, int turns, double rate,
            int thinkMillis, int cacheBlocks, int prefillMicros, int slots, int systemPrompts, int llamaEngines,
            int llamaConversations, int llamaTurns, double llamaRate, int llamaThinkMillis, int llamaSystemPrompts) {
        Results results = new Results("routing", "Routing: round-robin vs least-load vs prefix-affinity on multi-turn conversations",
                "engines", "strategy", "requests", "failed", "prompt tokens", "cached tokens", "cached share",
                "later turns: a hit", "later turns: history cached", "TTFT p50 ms", "TTFT p99 ms", "requests per endpoint max/min",
                "routing decisions");
        for (Outcome o : outcomes) {
            results.row(o.engines(), o.strategy(), o.requests(), o.failed(), o.promptTokens(), o.cachedTokens(),
                    "%.1f %%".formatted(100.0 * o.cachedTokens() / Math.max(1, o.promptTokens())),
                    "%.1f %%".formatted(100.0 * o.laterTurnsCached() / Math.max(1, o.laterTurns())),
                    "%.1f %%".formatted(100.0 * o.laterTurnsWithHistory() / Math.max(1, o.laterTurns())), "%.1f".formatted(o.ttftP50()),
                    "%.1f".formatted(o.ttftP99()), o.busiest() + "/" + o.idlest() + " (%.2f×)".formatted((double) o.busiest()
                            / Math.max(1, o.idlest())), o.decisions().entrySet().stream()
                            .map(d -> d.getKey() + " " + d.getValue()).collect(Collectors.joining(", ")));
        }
        for (int first = 0; first + STRATEGIES.size() <= outcomes.size(); first += STRATEGIES.size()) {
            Outcome rr = outcomes.get(first);
            Outcome pa = outcomes.get(first + STRATEGIES.size() - 1);
            double cachedRatio = (double) pa.cachedTokens() / Math.max(1, rr.cachedTokens());
            double ttftRatio = pa.ttftP50() / Math.max(1e-9, rr.ttftP50());
            double spread = (double) pa.busiest() / Math.max(1, pa.idlest());
            results.note("Goal on %s engines, prefix-affinity against round-robin: cached tokens ≥ 3× — %.2f× (%s); TTFT p50 ≤ 0.6× — %.2f× (%s); busiest endpoint within 1.5× of the idlest — %.2f× (%s)."
                    .formatted(rr.engines(), cachedRatio, cachedRatio >= 3 ? "met" : "missed", ttftRatio, ttftRatio <= 0.6 ? "met" : "missed",
                            spread, spread <= 1.5 ? "met" : "missed"));
        }
        results.note("Picking cost, prefix-affinity over %d endpoints whose prefix indexes are full (%d blocks each), %d decisions on one thread: p50 %.1f µs, p99 %.1f µs; hashing the prompt (%d blocks) before it: p50 %.1f µs, p99 %.1f µs."
                .formatted(cost.endpoints(), cost.blocksPerEndpoint(), cost.decisions(), cost.pickP50Micros(), cost.pickP99Micros(),
                        cost.promptBlocks(), cost.hashP50Micros(), cost.hashP99Micros()));
        results.note("Simulated engines, workload: %d conversations × %d turns (each turn's prompt is the whole history), %d system prompts of 2–4k tokens shared by the conversations in turn, conversations starting as a Poisson process at %.1f/s, %d ms mean think time between turns, 16 output tokens a turn, streamed."
                .formatted(conversations, turns, systemPrompts, rate, thinkMillis));
        results.note("Simulated engines: %d engine adapters (runnable jar, one JVM each), %d slots each, time to first token 20 ms + %d µs per prompt token not in the prefix cache, 10 ms per output token, prefix cache %d blocks of 16 tokens (LRU, tail first), which each reports as its KV capacity."
                .formatted(engines, slots, prefillMicros, cacheBlocks));
        if (llamaEngines > 0) {
            results.note("llama.cpp engines: %d engine adapters with the demo model in-process (1 thread, 4 slots of 1,024 tokens each, prompt cache per slot as llama.cpp keeps it: the longest common prefix with the slot's last prompt); workload scaled to them: %d conversations × %d turns, %d system prompts of 300–500 characters (about a token a character on the demo vocabulary), turns of 30–60 characters, %.1f conversations/s, %d ms mean think time, 8 output tokens a turn."
                    .formatted(llamaEngines, llamaConversations, llamaTurns, llamaSystemPrompts, llamaRate, llamaThinkMillis));
        }
        results.note("The gateway from its runnable jar, restarted per strategy, defaults otherwise (weights 1.0/0.5/0.2, bounded load 8 and 1.5×); its prefix index per endpoint is sized to the KV capacity the engine reports in /engine/status (platform.gateway.routing.prefix.blocks, 4096, is only the cap).");
        results.note("Turns sent again on a new connection after the gateway closed a kept-alive one before answering (as SDKs retry): " + RETRIED.get()
                + "; turns the gateway refused: " + REFUSED.get() + ".");
        results.note("Cached tokens are the engines' own counts (prompt_cache_hit_tokens of the usage records); later turns: the second and later turns of a conversation, with a hit when their prompt_cache_hit_tokens is above 0, and with their history cached when it is at least the previous turn's prompt tokens less 16; routing decisions by reason during the measured run (gateway_routing_decisions_total; load-balance is bounded load taking over); TTFT from sending the request to the first content token at the client; a new salt in front of the system prompts per strategy keeps the strategies from reusing each other's cache; each gateway first serves 4 conversations × 2 turns of warm-up (not counted).");
        results.save(Path.of("bench", "results"));
    }
}
