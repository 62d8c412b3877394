package io.maas.gateway.batch;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.FileObject;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.auth.ApiKeyAuthenticator;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.files.StoredFiles;
import io.maas.gateway.pricebook.TenantPriceBooks;
import io.maas.gateway.relay.ChatPipeline;
import io.maas.gateway.relay.ChatRequest;
import io.maas.gateway.relay.RequestParser;
import io.maas.gateway.routing.ModelRoutes;
import io.maas.gateway.routing.Router;
import io.maas.gateway.scheduling.OneAtATime;
import io.maas.pricing.PriceClass;
import jakarta.annotation.PreDestroy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs batches' lines, on every replica, every {@code platform.gateway.batch.poll-interval}.
 *
 * <p><b>When.</b> A batch runs while its tenant's price book lets batches run ({@link io.maas.pricing.PriceBook#batchRunsAt}:
 * the off-peak tiers of deepseek-2026), on the injected clock, unless it asked to run sooner ({@code schedule: asap}).
 * A line is claimed only while a slot of this replica's {@code concurrency} is free and then sent only while its model
 * has spare room ({@link Router#idle}: nobody queued, an endpoint below {@code max-endpoint-load}); otherwise it goes
 * back and waits for a later pass. So online requests never queue behind a batch; a batch only fills engines' idle time.
 *
 * <p><b>How.</b> Each line goes through the {@link ChatPipeline} under the key that created the batch (read afresh: a
 * revoked key fails its remaining lines), admitted, metered and settled like an online request, priced in the book's
 * batch class ({@link PriceClass#BATCH}; a batch that asked for sooner pays online prices). A refusal that says
 * "later" (429 rate limit, 503) puts the line back; any other answer is the line's result, written when it ends, so a
 * restart resumes at the lines without one. Claims are SKIP LOCKED, so among replicas each line runs once; a claim older
 * than the request deadline (its gateway died) is claimed again.
 *
 * <p><b>Ending.</b> When no line is left to run, the batch is finalized: output file (the lines answered 200), error
 * file (every other line: refused, expired, cancelled), both purpose {@code batch_output}, then completed, expired (its
 * 24 h window passed) or cancelled.
 */
@Component
class BatchRunner {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);
    private static final int PAGE = 1000;
    private static final int STOP_WAIT_SECONDS = 20;

    private final Batches batches;
    private final StoredFiles files;
    private final ChatPipeline pipeline;
    private final RequestParser parser;
    private final ModelRoutes routes;
    private final Router router;
    private final ApiKeyAuthenticator keys;
    private final TenantPriceBooks books;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxEndpointLoad;
    private final Duration claimTimeout;
    private final int concurrency;
    private final Semaphore slots;
    private final OneAtATime polling = new OneAtATime();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopping;

    BatchRunner(Batches batches, StoredFiles files, ChatPipeline pipeline, RequestParser parser, ModelRoutes routes, Router router,
                ApiKeyAuthenticator keys, TenantPriceBooks books, JsonMapper json, Clock clock, BatchProperties properties,
                GatewayProperties gateway) {
        this.batches = batches;
        this.files = files;
        this.pipeline = pipeline;
        this.parser = parser;
        this.routes = routes;
        this.router = router;
        this.keys = keys;
        this.books = books;
        this.json = json;
        this.clock = clock;
        this.maxEndpointLoad = properties.maxEndpointLoad();
        this.claimTimeout = gateway.requestDeadline().plus(gateway.receiptWait()).plusMinutes(1);
        this.concurrency = properties.concurrency();
        this.slots = new Semaphore(concurrency);
    }

    /** A {@link #pass} every poll interval, unless the last one still runs. */
    @Scheduled(initialDelayString = "${platform.gateway.batch.poll-interval:5s}", fixedRateString = "${platform.gateway.batch.poll-interval:5s}")
    void poll() {
        polling.unlessRunning(() -> {
            try {
                pass();
            } catch (DataAccessException e) {
                log.warn("Batches wait: PostgreSQL failed ({})", e.getMostSpecificCause().getMessage());
            }
        });
    }

    /**
     * At shutdown no line is claimed any more, and the lines running are given {@value #STOP_WAIT_SECONDS} s to end
     * (their results recorded); a line still running then is claimed again, by any replica, once its claim is stale.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        if (slots.tryAcquire(concurrency, STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            slots.release(concurrency);
        }
        workers.shutdown();
    }

    /** One look at every open batch: finish what is done, expire what is late, start lines where it may. */
    void pass() {
        for (Batches.Open batch : batches.open()) {
            if (stopping) {
                return;
            }
            Instant now = clock.instant();
            Instant stale = now.minus(claimTimeout);
            switch (batch.status()) {
                case CANCELLING, FINALIZING -> finish(batch, stale);
                case IN_PROGRESS -> {
                    if (!now.isBefore(batch.expiresAt())) {
                        batches.expire(batch.id());
                        finish(batch, stale);
                    } else if (mayRun(batch, now) && !runLines(batch, stale)) {
                        finish(batch, stale);
                    }
                }
                default -> { }
            }
        }
    }

    private boolean mayRun(Batches.Open batch, Instant now) {
        if (batch.runSooner()) {
            return true;
        }
        try {
            return books.of(batch.tenantId()).map(book -> book.batchRunsAt(now)).orElse(true);
        } catch (IllegalArgumentException noVersionYet) {
            return true; // priced as no book prices it: unpriced, at any time
        }
    }

    /** Starts lines of {@code batch} while slots and room last; false when none was left to start. */
    private boolean runLines(Batches.Open batch, Instant stale) {
        CallerKey caller;
        ApiException keyRefused = null;
        try {
            caller = keys.current(batch.keyId());
        } catch (ApiException e) {
            caller = null;
            keyRefused = e;
        }
        PriceClass priceClass = batch.runSooner() ? PriceClass.ONLINE : PriceClass.BATCH;
        while (!stopping && slots.tryAcquire()) {
            Optional<Batches.Claimed> claimed = batches.claim(batch.id(), clock.instant(), stale);
            if (claimed.isEmpty()) {
                slots.release();
                return false;
            }
            Batches.Claimed line = claimed.get();
            if (caller != null && !roomFor(line, caller)) {
                batches.release(line);
                slots.release();
                return true;
            }
            if (batch.inProgressAt() == null) {
                batches.started(batch.id(), clock.instant());
            }
            CallerKey as = caller;
            ApiException refused = keyRefused;
            workers.execute(() -> {
                try {
                    run(batch.endpoint(), line, as, refused, priceClass);
                } catch (RuntimeException e) {
                    log.error("Batch {} line {} failed in the gateway; it runs again later", line.batchId(), line.lineNo(), e);
                    batches.release(line);
                } finally {
                    slots.release();
                }
            });
        }
        return true;
    }

    private boolean roomFor(Batches.Claimed line, CallerKey caller) {
        try {
            return router.idle(routes.resolve(line.model(), caller), maxEndpointLoad);
        } catch (ApiException gone) {
            return true; // the model is gone for this key: the line runs and is answered 404
        }
    }

    private void run(String endpoint, Batches.Claimed line, CallerKey caller, ApiException keyRefused, PriceClass priceClass) {
        if (caller == null) {
            batches.ended(line, false, responseLine(line, keyRefused.error().status(), errorBody(keyRefused)));
            return;
        }
        try {
            ChatRequest chat = BatchInput.parse(parser, endpoint, json.readTree(line.body()));
            var answer = new CapturedAnswer();
            pipeline.run(caller, line.requestId(), chat, priceClass, answer);
            batches.ended(line, true, responseLine(line, 200, answer.answer()));
        } catch (ApiException e) {
            if (later(e)) {
                log.debug("Batch {} line {} waits: {}", line.batchId(), line.lineNo(), e.getMessage());
                batches.release(line);
            } else {
                batches.ended(line, false, responseLine(line, e.error().status(), errorBody(e)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A refusal that says "not now": limits that refill, engines or the database busy. */
    private static boolean later(ApiException e) {
        return e.error() == ApiError.RATE_LIMIT_EXCEEDED || e.error().status() == 503;
    }

    private void finish(Batches.Open batch, Instant stale) {
        if (!batches.finalizing(batch.id(), clock.instant(), stale)) {
            return;
        }
        BatchStatus outcome = batches.outcome(batch.id());
        Path output = null;
        Path errors = null;
        try {
            output = Files.createTempFile("batch-output-", ".jsonl");
            errors = Files.createTempFile("batch-errors-", ".jsonl");
            long outputLines = 0;
            long errorLines = 0;
            try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                 BufferedWriter err = Files.newBufferedWriter(errors, StandardCharsets.UTF_8)) {
                int after = 0;
                for (List<Batches.Ended> page = batches.endedLines(batch.id(), after, PAGE); !page.isEmpty();
                     page = batches.endedLines(batch.id(), after, PAGE)) {
                    for (Batches.Ended line : page) {
                        if (line.status().equals("SUCCEEDED")) {
                            out.write(line.result());
                            out.newLine();
                            outputLines++;
                        } else {
                            err.write(line.result() != null ? line.result() : notRun(line, outcome));
                            err.newLine();
                            errorLines++;
                        }
                        after = line.lineNo();
                    }
                }
            }
            String outputId = outputLines == 0 ? null : store(batch, output, "output");
            String errorId = errorLines == 0 ? null : store(batch, errors, "error");
            batches.finished(batch.id(), outcome, outputId, errorId, clock.instant());
            log.info("Batch {} {}: {} answered, {} in the error file", batch.id(), outcome.wire(), outputLines, errorLines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of batch " + batch.id(), e);
        } finally {
            deleteQuietly(output);
            deleteQuietly(errors);
        }
    }

    private String store(Batches.Open batch, Path content, String kind) throws IOException {
        try (InputStream in = Files.newInputStream(content)) {
            return files.create(batch.tenantId(), FileObject.PURPOSE_BATCH_OUTPUT, batch.id() + "_" + kind + ".jsonl", in).id();
        }
    }

    /** A line of OpenAI's output format for a request that was answered ({@code body} the answer or the error). */
    private String responseLine(Batches.Claimed line, int status, JsonNode body) {
        ObjectNode response = json.createObjectNode();
        response.put("status_code", status);
        response.put("request_id", line.requestId());
        response.set("body", body);
        ObjectNode out = json.createObjectNode();
        out.put("id", "batch_req_" + line.requestId());
        out.put("custom_id", line.customId());
        out.set("response", response);
        out.putNull("error");
        return json.writeValueAsString(out);
    }

    /** A line of the error file for a request that never ran: the window closed, or the batch was cancelled. */
    private String notRun(Batches.Ended line, BatchStatus outcome) {
        boolean cancelled = line.status().equals("CANCELLED") || outcome == BatchStatus.CANCELLED;
        ObjectNode error = json.createObjectNode();
        error.put("code", cancelled ? "batch_cancelled" : "batch_expired");
        error.put("message", cancelled ? "The batch was cancelled before this request ran."
                : "This request could not be run before the batch's completion window ended.");
        ObjectNode out = json.createObjectNode();
        out.put("id", "batch_req_" + Batches.random());
        out.put("custom_id", line.customId());
        out.putNull("response");
        out.set("error", error);
        return json.writeValueAsString(out);
    }

    private JsonNode errorBody(ApiException e) {
        return json.valueToTree(e.error().response(e.getMessage(), e.param()));
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("Could not delete {}: {}", file, e.getMessage());
            }
        }
    }
}
