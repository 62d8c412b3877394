package io.maas.gateway.relay;

import io.maas.api.openai.Usage;
import io.maas.gateway.GatewayProperties;
import io.maas.gateway.admission.Admitter;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.RequestJournal;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.scheduling.OneAtATime;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Bills the requests of a gateway that died with them in flight (kill -9, out of memory). Every
 * {@code platform.gateway.journal-sweep-interval}, on every replica: journal entries older than the
 * request deadline plus the receipt wait (so their own gateway would have recorded them by then) are
 * claimed, each by one replica; for each, the engines it may have run on are asked for its receipt, the
 * usage there is recorded as {@link Outcome#GATEWAY_LOST} (which ends its money reservation and its
 * journal entry) and its rate-limit reservation is settled. An entry no engine has a receipt for
 * never ran (or its receipt expired): its holds are ended unbilled, and logged.
 */
@Component
class OrphanSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);
    private static final int BATCH = 100;
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final RequestJournal journal;
    private final EngineClient engines;
    private final UsageRecorder recorder;
    private final Admitter admitter;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final Duration orphanAfter;
    private final OneAtATime sweeping = new OneAtATime();

    OrphanSweeper(RequestJournal journal, EngineClient engines, UsageRecorder recorder, Admitter admitter,
                  TransactionOperations transactions, Clock clock, GatewayProperties properties, TaskScheduler scheduler) {
        this.journal = journal;
        this.engines = engines;
        this.recorder = recorder;
        this.admitter = admitter;
        this.transactions = transactions;
        this.clock = clock;
        this.orphanAfter = properties.requestDeadline().plus(properties.receiptWait()).plus(GRACE);
        Duration every = properties.journalSweepInterval();
        scheduler.scheduleAtFixedRate(() -> sweeping.unlessRunning(this::sweep), Instant.now().plus(every), every);
    }

    void sweep() {
        try {
            transactions.executeWithoutResult(status ->
                    journal.claimOrphans(clock.instant().minus(orphanAfter), BATCH).forEach(this::bill));
        } catch (DataAccessException e) {
            log.warn("Could not sweep the request journal ({}); trying again later", e.getMostSpecificCause().getMessage());
        }
    }

    private void bill(RequestJournal.Entry orphan) {
        for (URI endpoint : orphan.endpoints()) {
            Optional<Usage> usage = engines.finalUsage(endpoint, orphan.requestId(), Duration.ZERO);
            if (usage.isPresent()) {
                Usage billed = usage.get().consistent();
                recorder.record(new UsageRecord(orphan.requestId(), orphan.tenantId(), orphan.apiKeyId(), orphan.model(), endpoint,
                        orphan.stream(), billed, orphan.startedAt(), clock.instant(), Outcome.GATEWAY_LOST, UsageRecord.Placement.STATIC,
                        orphan.priceClass()));
                admitter.settleLost(orphan.requestId(), billed.promptTokens() + billed.completionTokens());
                log.warn("request={} of a gateway that died was billed from the receipt of {}: prompt={} completion={}",
                        orphan.requestId(), endpoint, billed.promptTokens(), billed.completionTokens());
                return;
            }
        }
        journal.close(orphan.requestId());
        admitter.releaseLost(orphan.requestId());
        log.warn("request={} of a gateway that died has no receipt at {}: its holds are ended unbilled", orphan.requestId(),
                orphan.endpoints());
    }
}
