package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.NotFoundException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchListParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.maas.api.keys.ApiKeySecret;
import io.maas.pricing.BatchClass;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookTemplates;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Batch API with the official OpenAI Java SDK against a running gateway, on a clock the test sets and a tenant
 * on deepseek-2026 (peak Beijing 09:00–12:00 and 14:00–18:00 on working days; batches off-peak at a quarter of the
 * base price): a batch submitted at peak waits, runs when the clock enters the off-peak window, and is billed at the
 * batch price; one that asks for sooner runs at once at the online price; cancel; the window's expiry; a batch that
 * resumes where a dead gateway left it; the files' limits and checks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final TestClock clock = new TestClock(Instant.now());
    private static final UUID BOOK = UUID.randomUUID();
    /** Monday 2026-03-16 10:00 Beijing: peak. */
    private static final Instant MONDAY_PEAK = Instant.parse("2026-03-16T02:00:00Z");
    /** Monday 2026-03-16 12:30 Beijing: lunch, off-peak. */
    private static final Instant MONDAY_LUNCH = Instant.parse("2026-03-16T04:30:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path files;

    @LocalServerPort
    int port;

    private final GatewayCalls calls = new GatewayCalls();

    @TestConfiguration
    static class ClockConfiguration {
        @Bean
        @Primary
        Clock settableClock() {
            return clock;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "scripted");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
        registry.add("platform.gateway.files.dir", () -> files.toString());
        registry.add("platform.gateway.files.max-size", () -> "32KB");
        registry.add("platform.gateway.batch.max-lines", () -> "5");
        registry.add("platform.gateway.batch.poll-interval", () -> "200ms");
        registry.add("platform.gateway.journal-sweep-interval", () -> "500ms");
    }

    /** deepseek-2026 as the platform ships it, pricing model "scripted" at deepseek-flash's prices. */
    @BeforeAll
    static void book() throws SQLException {
        PriceBookVersion template = PriceBookTemplates.load(PriceBookTemplates.DEEPSEEK_2026).versions().getFirst();
        var version = new PriceBookVersion(template.version(), template.effectiveFrom(),
                Map.of("scripted", template.basePrices("deepseek-flash")), template.schedule(), template.batch());
        TestRows.execute("INSERT INTO price_book (id, name) VALUES (?, ?)", BOOK, "batch-" + BOOK);
        TestRows.execute("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', ?, ?::jsonb)",
                BOOK, Timestamp.from(version.effectiveFrom()), PricingJson.write(version));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void aBatchSubmittedAtPeakWaitsForTheOffPeakWindowAndIsBilledAtTheBatchPrice() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("off-peak");
        FileObject input = tenant.upload(jsonl(3, "scripted"));

        Batch created = tenant.sdk().batches().create(params(input.id()).metadata(BatchCreateParams.Metadata.builder()
                .putAdditionalProperty("job", JsonValue.from("nightly")).build()).build());
        Thread.sleep(1000); // five passes of the runner, all at peak
        Batch waiting = tenant.sdk().batches().retrieve(created.id());

        assertThat(created.status()).isEqualTo(Batch.Status.IN_PROGRESS);
        assertThat(waiting.status()).isEqualTo(Batch.Status.IN_PROGRESS);
        assertThat(waiting.inProgressAt()).as("not started").isEmpty();
        assertThat(waiting.requestCounts().orElseThrow().total()).isEqualTo(3);
        assertThat(waiting.requestCounts().orElseThrow().completed()).isZero();
        assertThat(waiting.expiresAt()).hasValue(MONDAY_PEAK.plus(Duration.ofHours(24)).getEpochSecond());
        assertThat(tenant.ledger()).isEmpty();

        clock.set(MONDAY_LUNCH);
        Batch done = tenant.await(created.id(), b -> b.status().equals(Batch.Status.COMPLETED));

        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(3);
        assertThat(done.inProgressAt()).hasValue(MONDAY_LUNCH.getEpochSecond());
        assertThat(done.errorFileId()).isEmpty();
        assertThat(tenant.send("GET", "/v1/batches/" + done.id(), null).body()).contains("\"metadata\":{\"job\":\"nightly\"}",
                "\"schedule\":\"off_peak\"");
        List<JsonNode> output = tenant.content(done.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.get("custom_id").asString()).containsExactly("request-1", "request-2", "request-3");
        assertThat(output).allSatisfy(line -> {
            assertThat(line.get("response").get("status_code").asInt()).isEqualTo(200);
            assertThat(line.get("response").get("body").get("object").asString()).isEqualTo("chat.completion");
            assertThat(line.get("error").isNull()).isTrue();
        });
        ModelPrices batch = new ModelPrices(new BigDecimal("0.01"), new BigDecimal("0.5"), new BigDecimal("2"), io.maas.pricing.Currency.CNY);
        assertThat(tenant.ledger()).hasSize(3).allSatisfy(entry -> {
            assertThat(entry).containsEntry("tier", BatchClass.TIER).containsEntry("price_book_version", "2026-01-01");
            assertThat(new BigDecimal(entry.get("amount"))).isEqualByComparingTo(amount(entry, batch));
        });
        FileObject outputFile = tenant.sdk().files().retrieve(done.outputFileId().orElseThrow());
        assertThat(outputFile.purpose()).isEqualTo(FileObject.Purpose.BATCH_OUTPUT);
    }

    @Test
    void aBatchThatAsksForSoonerRunsAtPeakAtTheOnlinePriceAndBatchesListInPages() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("asap");
        FileObject input = tenant.upload(jsonl(2, "scripted"));

        Batch first = tenant.sdk().batches().create(params(input.id()).putAdditionalBodyProperty("schedule", JsonValue.from("asap")).build());
        Batch done = tenant.await(first.id(), b -> b.status().equals(Batch.Status.COMPLETED));
        Batch second = tenant.sdk().batches().create(params(input.id()).build());

        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(2);
        assertThat(tenant.send("GET", "/v1/batches/" + done.id(), null).body()).contains("\"schedule\":\"asap\"");
        ModelPrices peak = new ModelPrices(new BigDecimal("0.04"), new BigDecimal("2"), new BigDecimal("8"), io.maas.pricing.Currency.CNY);
        assertThat(tenant.ledger()).hasSize(2).allSatisfy(entry -> {
            assertThat(entry).containsEntry("tier", "peak");
            assertThat(new BigDecimal(entry.get("amount"))).isEqualByComparingTo(amount(entry, peak));
        });
        var page = tenant.sdk().batches().list(BatchListParams.builder().limit(1).build());
        assertThat(page.data()).extracting(Batch::id).containsExactly(second.id());
        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.nextPage().data()).extracting(Batch::id).containsExactly(first.id());
        tenant.sdk().batches().cancel(second.id());
    }

    /**
     * A prepaid balance of ¥0.01 covers the worst case of a line at the batch price (97 prompt tokens at most + 4,000
     * output: ¥0.0080485) but not at the online off-peak price (¥0.016097): the batch's lines are reserved at the batch price.
     */
    @Test
    void aBatchLineIsReservedAtTheBatchPrice() throws Exception {
        clock.set(MONDAY_LUNCH);
        var tenant = new Tenant("prepaid");
        TestRows.execute("UPDATE tenant SET billing_mode = 'PREPAID' WHERE id = ?", tenant.id);
        TestRows.execute("""
                INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by, created_at)
                VALUES (?, ?, 'TOP_UP', 'CNY', 0.01, 'test', '2026-01-01T00:00:00Z')""", UUID.randomUUID(), tenant.id);
        String line = jsonl(1, "scripted").replace("\"max_tokens\":16", "\"max_tokens\":4000");
        FileObject input = tenant.upload(line);

        var online = tenant.send("POST", "/v1/chat/completions", body(line.strip()));
        Batch done = tenant.await(tenant.sdk().batches().create(params(input.id()).build()).id(),
                b -> b.status().equals(Batch.Status.COMPLETED));

        assertThat(online.statusCode()).as("the online worst case is more than the balance").isEqualTo(402);
        assertThat(done.requestCounts().orElseThrow().completed()).as(() -> done.errorFileId().map(tenant::content).toString()).isEqualTo(1);
    }

    /** Two online requests the engine takes 3 s over fill the model's room (max-endpoint-load 2): the batch waits for them. */
    @Test
    void onlineRequestsGoFirstABatchRunsOnlyInTheEnginesSpareRoom() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("online-first");
        FileObject input = tenant.upload(jsonl(1, "scripted"));
        String late = "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"late\"}],\"max_tokens\":16}";
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> online = IntStream.range(0, 2)
                .mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> tenant.send("POST", "/v1/chat/completions", late)))
                .toList();
        Thread.sleep(500); // both are at the engine

        Batch created = tenant.sdk().batches().create(params(input.id()).putAdditionalBodyProperty("schedule", JsonValue.from("asap")).build());
        Thread.sleep(1000);
        Batch whileBusy = tenant.sdk().batches().retrieve(created.id());
        Batch done = tenant.await(created.id(), b -> b.status().equals(Batch.Status.COMPLETED));

        assertThat(whileBusy.inProgressAt()).as("not started while online requests held the engine").isEmpty();
        assertThat(online).allSatisfy(request -> assertThat(request.join().statusCode()).isEqualTo(200));
        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(1);
    }

    @Test
    void aCancelledBatchRunsNothingMoreAndListsItsRequestsInTheErrorFile() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("cancel");
        FileObject input = tenant.upload(jsonl(2, "scripted"));
        Batch created = tenant.sdk().batches().create(params(input.id()).build());

        Batch cancelling = tenant.sdk().batches().cancel(created.id());
        Batch cancelled = tenant.await(created.id(), b -> b.status().equals(Batch.Status.CANCELLED));
        clock.set(MONDAY_LUNCH);
        Thread.sleep(600);

        assertThat(cancelling.status()).isIn(Batch.Status.CANCELLING, Batch.Status.CANCELLED);
        assertThat(cancelled.cancelledAt()).isPresent();
        assertThat(cancelled.outputFileId()).isEmpty();
        assertThat(tenant.content(cancelled.errorFileId().orElseThrow())).extracting(line -> line.get("error").get("code").asString())
                .containsExactly("batch_cancelled", "batch_cancelled");
        assertThat(tenant.ledger()).isEmpty();
        assertThat(tenant.send("POST", "/v1/batches/" + created.id() + "/cancel", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBatchWhoseWindowEndsBeforeOffPeakExpiresWithItsRequestsInTheErrorFile() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("expire");
        Batch created = tenant.sdk().batches().create(params(tenant.upload(jsonl(1, "scripted")).id()).build());

        clock.set(MONDAY_PEAK.plus(Duration.ofHours(24)));
        Batch expired = tenant.await(created.id(), b -> b.status().equals(Batch.Status.EXPIRED));

        assertThat(expired.expiredAt()).hasValue(MONDAY_PEAK.plus(Duration.ofHours(24)).getEpochSecond());
        assertThat(tenant.content(expired.errorFileId().orElseThrow())).extracting(line -> line.get("error").get("code").asString())
                .containsExactly("batch_expired");
        assertThat(tenant.ledger()).isEmpty();
    }

    /** As a gateway that died mid-batch leaves it: line 1 answered, line 2 claimed long ago and never ended, line 3 not run. */
    @Test
    void aBatchResumesWhereADeadGatewayLeftItAndNeverRunsAnAnsweredLineAgain() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("resume");
        String id = "batch_resume" + UUID.randomUUID().toString().replace("-", "");
        String answered = "{\"id\":\"batch_req_before\",\"custom_id\":\"request-1\",\"response\":{\"status_code\":200,\"request_id\":\"before\","
                + "\"body\":{\"object\":\"chat.completion\"}},\"error\":null}";
        Timestamp created = Timestamp.from(MONDAY_PEAK.minus(Duration.ofHours(2)));
        TestRows.execute("""
                INSERT INTO batch (id, tenant_id, api_key_id, endpoint, input_file_id, completion_window, run_sooner, status,
                    created_at, expires_at, in_progress_at)
                VALUES (?, ?, ?, '/v1/chat/completions', 'file-gone', '24h', true, 'validating', ?, ?, ?)""",
                id, tenant.id, tenant.keyId, created, Timestamp.from(MONDAY_PEAK.plus(Duration.ofHours(22))), created);
        List<String> lines = jsonl(3, "scripted").lines().toList();
        TestRows.execute("INSERT INTO batch_line (batch_id, line_no, custom_id, model, body, status, request_id, claimed_at, result)"
                + " VALUES (?, 1, 'request-1', 'scripted', ?, 'SUCCEEDED', 'before', ?, ?)", id, body(lines.get(0)), created, answered);
        TestRows.execute("INSERT INTO batch_line (batch_id, line_no, custom_id, model, body, status, request_id, claimed_at)"
                + " VALUES (?, 2, 'request-2', 'scripted', ?, 'RUNNING', 'dead', ?)", id, body(lines.get(1)), created);
        TestRows.execute("INSERT INTO batch_line (batch_id, line_no, custom_id, model, body) VALUES (?, 3, 'request-3', 'scripted', ?)",
                id, body(lines.get(2)));
        TestRows.execute("UPDATE batch SET status = 'in_progress' WHERE id = ?", id);

        Batch done = tenant.await(id, b -> b.status().equals(Batch.Status.COMPLETED));

        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(3);
        List<JsonNode> output = tenant.content(done.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.get("custom_id").asString()).containsExactly("request-1", "request-2", "request-3");
        assertThat(output.getFirst()).isEqualTo(JSON.readTree(answered));
        assertThat(tenant.ledger()).as("lines 2 and 3 ran, line 1 did not run again").hasSize(2);
    }

    /** A line in flight when its gateway died is billed by another replica's sweeper from the engine's receipt, as a batch request. */
    @Test
    void aBatchRequestOfAGatewayThatDiedIsBilledAtTheBatchPrice() throws Exception {
        clock.set(MONDAY_LUNCH);
        var tenant = new Tenant("orphan");
        String requestId = UUID.randomUUID().toString().replace("-", "");
        TestRows.execute("""
                INSERT INTO request_journal (request_id, tenant_id, api_key_id, model, endpoints, stream, started_at, price_class)
                VALUES (?, ?, ?, 'scripted', ARRAY[?], false, ?, 'BATCH')""",
                requestId, tenant.id, tenant.keyId, engine.uri().toString(), Timestamp.from(MONDAY_LUNCH.minus(Duration.ofHours(1))));

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tenant.ledger().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(tenant.ledger()).singleElement().satisfies(entry -> assertThat(entry).containsEntry("request_id", requestId)
                .containsEntry("tier", BatchClass.TIER));
    }

    @Test
    void filesAreTheTenantsOwnWithinTheSizeLimitAndALineWithAProblemFailsTheBatchNamingIt() throws Exception {
        clock.set(MONDAY_PEAK);
        var tenant = new Tenant("files");
        var other = new Tenant("files-other");
        FileObject good = tenant.upload(jsonl(2, "scripted"));

        var tooLarge = tenant.multipart("batch", "big.jsonl", "x".repeat(48 * 1024));
        var wrongPurpose = tenant.multipart("fine-tune", "a.jsonl", jsonl(1, "scripted"));
        var tooManyLines = tenant.sdk().batches().create(params(tenant.upload(jsonl(6, "scripted")).id()).build());
        String problems = jsonl(1, "scripted")
                + "{\"custom_id\":\"request-2\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}\n"
                + jsonl(1, "no-such-model").replace("request-1", "request-3")
                + jsonl(1, "scripted")
                + "not json\n";
        Batch failed = tenant.sdk().batches().create(params(tenant.upload(problems).id()).build());
        String fim = "{\"custom_id\":\"fim-1\",\"method\":\"POST\",\"url\":\"/v1/completions\",\"body\":{\"model\":\"scripted\","
                + "\"prompt\":\"def add(a, b):\",\"suffix\":\"    return c\",\"max_tokens\":16}}\n";
        Batch fimBatch = tenant.sdk().batches().create(params(tenant.upload(fim).id()).endpoint(BatchCreateParams.Endpoint.V1_COMPLETIONS)
                .putAdditionalBodyProperty("schedule", JsonValue.from("asap")).build());
        Batch chatLinesAsFim = tenant.sdk().batches().create(params(good.id()).endpoint(BatchCreateParams.Endpoint.V1_COMPLETIONS).build());
        Batch fimDone = tenant.await(fimBatch.id(), b -> b.status().equals(Batch.Status.COMPLETED));

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"code\":\"request_too_large\"");
        assertThat(wrongPurpose.statusCode()).isEqualTo(400);
        assertThat(wrongPurpose.body()).contains("\"param\":\"purpose\"");
        assertThat(tooManyLines.status()).isEqualTo(Batch.Status.FAILED);
        assertThat(tooManyLines.errors().orElseThrow().data().orElseThrow()).extracting(e -> e.code().orElseThrow())
                .containsExactly("too_many_requests");
        assertThat(failed.status()).isEqualTo(Batch.Status.FAILED);
        assertThat(failed.failedAt()).isPresent();
        assertThat(failed.errors().orElseThrow().data().orElseThrow())
                .extracting(e -> e.line().orElseThrow() + " " + e.code().orElseThrow() + " " + e.param().orElse("-"))
                .containsExactly("2 invalid_url url", "3 model_not_found body.model", "4 duplicate_custom_id custom_id", "5 invalid_json -");

        assertThat(fimBatch.status()).as("FIM lines pass the FIM parser").isEqualTo(Batch.Status.IN_PROGRESS);
        assertThat(tenant.content(fimDone.outputFileId().orElseThrow())).singleElement()
                .satisfies(line -> assertThat(line.get("response").get("body").get("object").asString()).isEqualTo("text_completion"));
        assertThat(chatLinesAsFim.errors().orElseThrow().data().orElseThrow()).extracting(e -> e.code().orElseThrow())
                .containsExactly("invalid_url", "invalid_url");

        assertThat(tenant.sdk().files().retrieve(good.id()).bytes()).isEqualTo(jsonl(2, "scripted").length());
        assertThat(tenant.sdk().files().list().data()).extracting(FileObject::id).contains(good.id());
        assertThatThrownBy(() -> other.sdk().files().retrieve(good.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.sdk().batches().retrieve(failed.id())).isInstanceOf(NotFoundException.class);
        assertThat(tenant.content(good.id())).hasSize(2);
        assertThat(tenant.sdk().files().delete(good.id()).deleted()).isTrue();
        assertThatThrownBy(() -> tenant.sdk().files().retrieve(good.id())).isInstanceOf(NotFoundException.class);
        assertThat(tenant.send("GET", "/v1/files", null).statusCode()).isEqualTo(200);
        assertThat(calls.send(port, "GET", "/v1/files", null, null).statusCode()).isEqualTo(401);
        assertThat(tenant.send("POST", "/v1/files", "{}").statusCode()).as("not multipart").isEqualTo(415);
        assertThat(tenant.send("POST", "/v1/batches", "{not json").statusCode()).isEqualTo(400);
        assertThat(tenant.send("GET", "/v1/batches?limit=0", null).body()).contains("\"param\":\"limit\"");
        assertThat(tenant.send("POST", "/v1/batches", "{\"input_file_id\":\"" + good.id() + "\",\"endpoint\":\"/v1/chat/completions\","
                + "\"completion_window\":\"1h\"}").body()).contains("\"param\":\"completion_window\"");
    }

    private static BatchCreateParams.Builder params(String inputFileId) {
        return BatchCreateParams.builder().inputFileId(inputFileId).endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H);
    }

    /** {@code count} requests "request-1"… for {@code model}, one per line. */
    private static String jsonl(int count, String model) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "{\"custom_id\":\"request-" + i + "\",\"method\":\"POST\","
                        + "\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"ok\"}],\"max_tokens\":16}}\n")
                .collect(Collectors.joining());
    }

    private static String body(String line) {
        return JSON.readTree(line).get("body").toString();
    }

    /** What a ledger entry's tokens cost at {@code prices}, exactly. */
    private static BigDecimal amount(Map<String, String> entry, ModelPrices prices) {
        return new BigDecimal(entry.get("cache_hit_tokens")).multiply(prices.cacheHit())
                .add(new BigDecimal(entry.get("cache_miss_tokens")).multiply(prices.cacheMiss()))
                .add(new BigDecimal(entry.get("output_tokens")).multiply(prices.output()))
                .movePointLeft(6);
    }

    /** A tenant on the test's book with one key, and the SDK client of that key. */
    private final class Tenant {
        final UUID id = UUID.randomUUID();
        final UUID keyId = UUID.randomUUID();
        final String key = ApiKeySecret.generate();
        private final OpenAIClient sdk;

        Tenant(String name) throws SQLException {
            TestRows.execute("INSERT INTO tenant (id, name, price_book_id) VALUES (?, ?, ?)", id, name + "-" + id, BOOK);
            TestRows.key(keyId, id, key);
            sdk = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(key).maxRetries(0).build();
        }

        OpenAIClient sdk() {
            return sdk;
        }

        FileObject upload(String jsonl) throws IOException {
            Path file = Files.writeString(files.resolve("upload-" + UUID.randomUUID() + ".jsonl"), jsonl);
            return sdk.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
        }

        /** The file's lines, parsed. */
        List<JsonNode> content(String fileId) {
            try (var response = sdk.files().content(fileId); InputStream body = response.body()) {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8).lines().map(JSON::readTree).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Batch await(String batchId, Predicate<Batch> done) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            Batch batch = sdk.batches().retrieve(batchId);
            while (!done.test(batch) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                batch = sdk.batches().retrieve(batchId);
            }
            assertThat(done.test(batch)).as("batch %s, status %s", batchId, batch.status()).isTrue();
            return batch;
        }

        /** The tenant's ledger entries, in the order they were written. */
        List<Map<String, String>> ledger() throws SQLException {
            int count = Integer.parseInt(TestRows.one("SELECT count(*) AS n FROM usage_ledger WHERE tenant_id = ?", id).get("n"));
            List<Map<String, String>> entries = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                entries.add(TestRows.one("SELECT * FROM usage_ledger WHERE tenant_id = ? ORDER BY occurred_at, request_id OFFSET ? LIMIT 1", id, i));
            }
            return entries;
        }

        HttpResponse<String> send(String method, String path, String body) {
            return calls.send(port, method, path, key, body);
        }

        /** An upload as curl -F sends it. */
        HttpResponse<String> multipart(String purpose, String filename, String content) {
            String boundary = "----maas" + UUID.randomUUID();
            var body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                    + "Content-Type: application/jsonl\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/files"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
            try {
                return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
