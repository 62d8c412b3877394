package io.maas.bench.console;

import io.maas.bench.BenchDatabase;
import io.maas.bench.JarProcess;
import io.maas.bench.Options;
import io.maas.bench.Results;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each console page takes with a month of data for a busy platform, against the
 * tenant-service API call the page is built on, measured the same way in the same run.
 *
 * <p>Setup, on a throwaway database: tenant-service, the gateway (read-only console view) and the
 * web console as their own processes; one busy tenant with a month of roll-ups (every day, six models,
 * three tiers: the roll-up holds one row per day, model, tier and currency however many requests
 * there were) plus {@code --tenants} other tenants with a month each (the dashboard's top five and
 * finance's revenue by tenant read them all), and {@code --deployments} deployments with a replica each
 * running all month and revenue every day. Then each page is fetched {@code --requests} times one
 * after another, signed in as the role that sees it, after {@code --warmup} fetches.
 *
 * <p>Goal (issue 10): a page answers within 300 ms.
 */
public final class ConsoleBench {

    private static final String ADMIN_PASSWORD = "console-bench-admin-password";
    private static final String PASSWORD = "console-bench-password";
    private static final String SECRET = "console-bench-gateway-secret";
    private static final List<String> MODELS = List.of("deepseek-chat", "deepseek-reasoner", "deepseek-flash", "deepseek-v3", "deepseek-r1",
            "demo-moe");
    private static final List<String> TIERS = List.of("peak", "off-peak", "holiday");

    /** A page and the API call it is built on (the reference), fetched as one role. */
    private record Page(String role, String path, String reference) {
    }

    private record Sample(double p50, double p99) {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        int requests = options.getInt("requests", 100);
        int warmup = options.getInt("warmup", 20);
        int otherTenants = options.getInt("tenants", 200);
        int deployments = options.getInt("deployments", 20);
        Path logs = Files.createTempDirectory("console-bench");
        YearMonth month = YearMonth.now(ZoneOffset.UTC);

        try (BenchDatabase db = new BenchDatabase("console")) {
            List<String> dbArgs = List.of("--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                    "--spring.datasource.password=" + db.password());
            List<String> tenantArgs = new ArrayList<>(dbArgs);
            tenantArgs.addAll(List.of("--platform.tenant.admin-password=" + ADMIN_PASSWORD, "--platform.deployments.local.enabled=false"));
            try (JarProcess tenantService = new JarProcess(Path.of(options.require("tenant-jar")), logs.resolve("tenant-service.log"), tenantArgs)) {
                List<String> gatewayArgs = new ArrayList<>(dbArgs);
                gatewayArgs.addAll(List.of("--platform.gateway.models[0].name=static-route",
                        "--platform.gateway.models[0].endpoints[0]=http://127.0.0.1:1", "--platform.gateway.console.secret=" + SECRET,
                        "--platform.gateway.usage-spool-dir=" + logs.resolve("spool")));
                try (JarProcess gateway = new JarProcess(Path.of(options.require("gateway-jar")), logs.resolve("gateway.log"), gatewayArgs);
                     JarProcess console = new JarProcess(Path.of(options.require("console-jar")), logs.resolve("web-console.log"), List.of(
                             "--platform.console.api-url=" + tenantService.base(), "--platform.console.gateway-url=" + gateway.base(),
                             "--platform.console.gateway-secret=" + SECRET))) {
                    Api admin = new Api(tenantService.base(), "admin", ADMIN_PASSWORD);
                    admin.call("POST", "/api/v1/price-books", "{\"template\":\"deepseek-2026\",\"name\":\"bench-book\"}");
                    admin.call("PUT", "/api/v1/price-books/bench-book/platform-default", null);
                    UUID busy = id(admin.call("POST", "/api/v1/tenants", "{\"name\":\"busy\"}"));
                    admin.call("PUT", "/api/v1/tenants/" + busy + "/limits", "{\"requestsPerMinute\":6000,\"tokensPerMinute\":10000000,"
                            + "\"maxConcurrentRequests\":500,\"monthlyTokens\":100000000000}");
                    for (String role : List.of("TENANT_ADMIN", "TENANT_FINANCE")) {
                        admin.call("POST", "/api/v1/users", "{\"username\":\"busy-" + role.toLowerCase().replace('_', '-') + "\",\"password\":\""
                                + PASSWORD + "\",\"role\":\"" + role + "\",\"tenantId\":\"" + busy + "\"}");
                    }
                    admin.call("POST", "/api/v1/users", "{\"username\":\"finance\",\"password\":\"" + PASSWORD + "\",\"role\":\"FINANCE\"}");
                    for (int k = 0; k < 20; k++) {
                        admin.call("POST", "/api/v1/tenants/" + busy + "/api-keys", "{\"name\":\"key-" + k + "\"}");
                    }
                    List<UUID> tenants = new ArrayList<>(List.of(busy));
                    for (int t = 0; t < otherTenants; t++) {
                        tenants.add(id(admin.call("POST", "/api/v1/tenants", "{\"name\":\"tenant-" + t + "\"}")));
                    }
                    long rows = seed(db, tenants, busy, deployments, month);
                    System.out.printf("seeded %d roll-up rows for %d tenants and %d deployments over %s%n", rows, tenants.size(), deployments, month);

                    UUID someDeployment = id(admin.json("GET", "/api/v1/deployments", null).get(0));
                    List<Page> pages = List.of(
                            new Page("admin", "/dashboard", "/api/v1/usage/summary?day=" + LocalDate.now(ZoneOffset.UTC)),
                            new Page("admin", "/tenants", "/api/v1/tenants"),
                            new Page("admin", "/price-books", "/api/v1/price-books"),
                            new Page("admin", "/deployments", "/api/v1/deployments"),
                            new Page("admin", "/deployments/" + someDeployment, "/api/v1/deployments/" + someDeployment),
                            new Page("admin", "/fleet", "/api/v1/deployments"),
                            new Page("admin", "/economics?month=" + month, "/api/v1/economics?month=" + month),
                            new Page("finance", "/statements?month=" + month, "/api/v1/statements/" + month),
                            new Page("busy-tenant-admin", "/keys", "/api/v1/tenants/" + busy + "/api-keys"),
                            new Page("busy-tenant-admin", "/usage?month=" + month,
                                    "/api/v1/tenants/" + busy + "/usage/daily?from=" + month.atDay(1) + "&to=" + month.atEndOfMonth()),
                            new Page("busy-tenant-finance", "/statements?month=" + month, "/api/v1/tenants/" + busy + "/statements/" + month),
                            new Page("busy-tenant-admin", "/playground", "/api/v1/tenants/" + busy + "/api-keys"));

                    Results results = new Results("console", "Console page time, a month of roll-ups for a busy platform (" + requests
                            + " sequential fetches per page after " + warmup + ")",
                            "page", "role", "page p50 ms", "page p99 ms", "API call the page is built on", "API p50 ms", "API p99 ms", "≤ 300 ms");
                    for (Page page : pages) {
                        String password = page.role().equals("admin") ? ADMIN_PASSWORD : PASSWORD;
                        Browser browser = new Browser(console.base(), page.role(), password);
                        Api api = new Api(tenantService.base(), page.role(), password);
                        Sample pageTime = measure(() -> browser.get(page.path()), warmup, requests);
                        Sample apiTime = measure(() -> api.call("GET", page.reference(), null), warmup, requests);
                        results.row(page.path().replaceAll("[0-9a-f-]{36}", "{id}"), page.role(), ms(pageTime.p50()), ms(pageTime.p99()),
                                page.reference().replaceAll("[0-9a-f-]{36}", "{id}").replaceAll("\\?.*", ""), ms(apiTime.p50()),
                                ms(apiTime.p99()), pageTime.p99() <= 300 ? "met" : pageTime.p50() <= 300 ? "p50 only" : "missed");
                    }
                    results.note("Data: " + tenants.size() + " tenants with a roll-up row per day, model and tier for every day of " + month
                            + " (the busy one: " + MODELS.size() + " models × " + TIERS.size() + " tiers × " + month.lengthOfMonth()
                            + " days), " + deployments + " deployments each with a replica running all month and revenue every day; "
                            + rows + " roll-up rows in all. Pages read roll-ups only, never the ledger.");
                    results.note("A page's time is the console's whole answer (its calls to tenant-service, and to the gateway for the fleet "
                            + "and the usage limits, plus rendering), measured from a client on the same machine; the reference is one "
                            + "call of the API the page is mostly built on, with a tenant-service session, measured the same way.");
                    results.note("The deployments are on the kubernetes target, which this tenant-service does not configure, so they read "
                            + "FAILED; their replica rows and economics are those of a live fleet.");
                    results.save(Path.of("bench", "results"));
                }
            }
        }
    }

    private static long seed(BenchDatabase db, List<UUID> tenants, UUID busy, int deployments, YearMonth month) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            c.setAutoCommit(false);
            try (PreparedStatement usage = c.prepareStatement("""
                    INSERT INTO usage_daily (tenant_id, day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens, output_tokens,
                        cache_hit_amount, cache_miss_amount, output_amount, amount) VALUES (?, ?, ?, ?, 'CNY', ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (UUID tenant : tenants) {
                    List<String> models = tenant.equals(busy) ? MODELS : MODELS.subList(0, 2);
                    long scale = tenant.equals(busy) ? 1_000 : 1;
                    for (int d = 1; d <= month.lengthOfMonth(); d++) {
                        for (String model : models) {
                            for (String tier : TIERS) {
                                long requests = 500 * scale;
                                long hit = 2_000 * requests;
                                long miss = 1_000 * requests;
                                long out = 800 * requests;
                                BigDecimal hitAmount = BigDecimal.valueOf(hit).multiply(new BigDecimal("0.0000002"));
                                BigDecimal missAmount = BigDecimal.valueOf(miss).multiply(new BigDecimal("0.000002"));
                                BigDecimal outAmount = BigDecimal.valueOf(out).multiply(new BigDecimal("0.000003"));
                                usage.setObject(1, tenant);
                                usage.setObject(2, month.atDay(d));
                                usage.setString(3, model);
                                usage.setString(4, tier);
                                usage.setLong(5, requests);
                                usage.setLong(6, hit);
                                usage.setLong(7, miss);
                                usage.setLong(8, out);
                                usage.setBigDecimal(9, hitAmount);
                                usage.setBigDecimal(10, missAmount);
                                usage.setBigDecimal(11, outAmount);
                                usage.setBigDecimal(12, hitAmount.add(missAmount).add(outAmount));
                                usage.addBatch();
                                rows++;
                            }
                        }
                    }
                    usage.executeBatch();
                }
            }
            Instant monthStart = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            try (PreparedStatement deployment = c.prepareStatement("""
                    INSERT INTO deployment (id, name, tenant_id, model, served_model_name, target, runtime, accelerator_vendor, accelerator_type,
                        accelerators_per_replica, precision, context_length, replicas, state, created_by, cost_per_accelerator_hour, cost_currency)
                    VALUES (?, ?, ?, 'deepseek-r1', ?, 'kubernetes', 'vllm', 'nvidia', 'h200', 8, 'fp8', 131072, 1, 'READY', 'bench', 2.5, 'CNY')""");
                 PreparedStatement replica = c.prepareStatement("""
                    INSERT INTO deployment_replica (id, deployment_id, ordinal, state, endpoint, accelerators, started_at, ready_at)
                    VALUES (?, ?, 0, 'READY', ?, 8, ?, ?)""");
                 PreparedStatement daily = c.prepareStatement("""
                    INSERT INTO deployment_daily (deployment_id, day, tier, currency, requests, cache_hit_tokens, cache_miss_tokens, output_tokens,
                        amount) VALUES (?, ?, ?, 'CNY', 100000, 200000000, 100000000, 80000000, ?)""")) {
                for (int i = 0; i < deployments; i++) {
                    UUID id = UUID.randomUUID();
                    deployment.setObject(1, id);
                    deployment.setString(2, "bench-" + i);
                    deployment.setObject(3, tenants.get(i % tenants.size()));
                    deployment.setString(4, "r1-" + i);
                    deployment.executeUpdate();
                    replica.setObject(1, UUID.randomUUID());
                    replica.setObject(2, id);
                    replica.setString(3, "http://127.0.0.1:1/" + i);
                    replica.setObject(4, java.sql.Timestamp.from(monthStart));
                    replica.setObject(5, java.sql.Timestamp.from(monthStart.plus(10, ChronoUnit.MINUTES)));
                    replica.executeUpdate();
                    for (int d = 1; d <= month.lengthOfMonth(); d++) {
                        for (String tier : TIERS) {
                            daily.setObject(1, id);
                            daily.setObject(2, month.atDay(d));
                            daily.setString(3, tier);
                            daily.setBigDecimal(4, new BigDecimal("480.25"));
                            daily.addBatch();
                            rows++;
                        }
                    }
                    daily.executeBatch();
                }
            }
            c.commit();
        }
        return rows;
    }

    private static Sample measure(Call call, int warmup, int requests) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            call.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new Sample(millis[(int) Math.floor(0.5 * (requests - 1))], millis[(int) Math.ceil(0.99 * (requests - 1))]);
    }

    private static String ms(double millis) {
        return String.format("%.1f", millis);
    }

    private static UUID id(tools.jackson.databind.JsonNode node) {
        return UUID.fromString(node.get("id").asString());
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /** tenant-service's API with a session of its own (one password check, as the console does). */
    private static final class Api {

        private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        private final URI base;
        private final String csrfHeader;
        private final String csrfToken;

        Api(URI base, String username, String password) throws Exception {
            this.base = base;
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/sessions"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                            .getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (session.statusCode() >= 300) {
                throw new IllegalStateException("sign-in of " + username + " answered " + session.statusCode() + ": " + session.body());
            }
            var body = JSON.readTree(session.body());
            csrfHeader = body.get("csrfHeader").asString();
            csrfToken = body.get("csrfToken").asString();
        }

        String call(String method, String path, String body) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json").header("Accept", "application/json").header(csrfHeader, csrfToken)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }

        tools.jackson.databind.JsonNode json(String method, String path, String body) throws Exception {
            return JSON.readTree(call(method, path, body));
        }
    }

    private static UUID id(String json) {
        return id(Api.JSON.readTree(json));
    }

    /** The console as a browser uses it: the sign-in form (with its CSRF token), then pages with the session cookie. */
    private static final class Browser {

        private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        private final URI base;

        Browser(URI base, String username, String password) throws Exception {
            this.base = base;
            String login = http.send(HttpRequest.newBuilder(base.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher csrf = CSRF.matcher(login);
            if (!csrf.find()) {
                throw new IllegalStateException("no CSRF token on the sign-in page");
            }
            String form = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
            HttpResponse<Void> signedIn = http.send(HttpRequest.newBuilder(base.resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.discarding());
            String location = signedIn.headers().firstValue("Location").orElse("");
            if (signedIn.statusCode() != 302 || location.contains("error")) {
                throw new IllegalStateException("console sign-in of " + username + " failed: " + signedIn.statusCode() + " " + location);
            }
        }

        void get(String path) throws Exception {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + page.statusCode());
            }
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
