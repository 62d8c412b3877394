package io.maas.gateway.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.Usage;
import io.maas.db.testing.TestDatabase;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.pricebook.TenantPriceBooks;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A PostgreSQL outage at settlement loses nothing: the record waits on disk, its money reservation
 * stays held, and once PostgreSQL answers the replay writes it and ends the reservation, once. A record
 * PostgreSQL rejects for good is quarantined, alone: the rest of its batch commits.
 */
class UsageSpoolIT {

    @TempDir
    Path spoolDir;

    private final DataSource live;
    private final JdbcClient sql;
    /** A tenant and key of its own per test, so that records can be written. */
    private final UUID tenant = UUID.randomUUID();
    private final UUID key = UUID.randomUUID();

    UsageSpoolIT() {
        TestDatabase db = TestDatabase.get();
        live = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        sql = JdbcClient.create(live);
        sql.sql("INSERT INTO tenant (id, name) VALUES (?, ?)").params(tenant, "spool-" + tenant).update();
        sql.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', 'sk-spool', ?)")
                .params(key, tenant, ApiKeySecret.hash(ApiKeySecret.generate())).update();
    }

    @Test
    void aRecordPostgresCannotTakeIsSpooledThenReplayedExactlyOnce() throws Exception {
        var record = new UsageRecord("spooled-" + tenant, tenant, key, "demo-moe", URI.create("http://127.0.0.1:8090"), true,
                Usage.of(3, 9, 17, 0), Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T10:00:02Z"), Outcome.COMPLETED);

        sql.sql("INSERT INTO admission_reservation (request_id, tenant_id, api_key_id, model, tokens, currency, amount, reserved_at,"
                + " expires_at) VALUES (?, ?, ?, 'demo-moe', 1000, 'CNY', 0.5, now(), now() + interval '30 minutes')")
                .params(record.requestId(), tenant, key).update();

        boolean durable = recorder(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/down", "maas", "maas")).record(record);

        assertThat(durable).isTrue();
        assertThat(Files.readAllLines(spoolDir.resolve("pending.jsonl"))).hasSize(1);
        assertThat(reservations(sql, record)).as("the spend stays held while the record waits").isEqualTo(1);

        UsageRecorder back = recorder(live);
        back.replaySpool();
        back.replaySpool();

        assertThat(sql.sql("SELECT completion_tokens, prompt_cache_hit_tokens, outcome FROM usage_record WHERE request_id = ?")
                .param(record.requestId()).query((rs, i) -> rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getString(3)).list())
                .containsExactly("17/3/COMPLETED");
        assertThat(sql.sql("SELECT count(*) FROM usage_ledger WHERE request_id = ?").param(record.requestId()).query(Long.class).single())
                .isEqualTo(1);
        assertThat(reservations(sql, record)).as("counted in the ledger now, not twice").isZero();
        try (var left = Files.list(spoolDir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aRecordPostgresRejectsForGoodAndATornLineAreQuarantinedAndTheReplayGoesOnPastThem() throws Exception {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        var before = record("before-" + tenant, tenant, key, Usage.of(1, 2, 3, 0), at);
        var rejected = record("rejected-" + tenant, tenant, key, Usage.of(1, 2, -1, 0), at); // completion_tokens >= 0: CHECK
        var after = record("after-" + tenant, tenant, key, Usage.of(2, 2, 5, 0), at);
        UsageSpool spool = new UsageSpool(spoolDir);
        spool.append(before);
        spool.append(rejected);
        spool.append(after);
        Files.writeString(spoolDir.resolve("pending.jsonl"), "{\"requestId\":\"torn-by-kill", java.nio.file.StandardOpenOption.APPEND);
        io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        double quarantinedBefore = quarantined();

        recorder(live).replaySpool();

        assertThat(sql.sql("SELECT request_id FROM usage_record WHERE tenant_id = ? ORDER BY request_id").param(tenant)
                .query(String.class).list()).containsExactly(after.requestId(), before.requestId());
        assertThat(Files.readAllLines(spoolDir.resolve("dead-letter.jsonl")))
                .hasSize(2).anyMatch(l -> l.contains(rejected.requestId())).anyMatch(l -> l.contains("torn-by-kill"));
        assertThat(quarantined() - quarantinedBefore).isEqualTo(2);
        try (var left = Files.list(spoolDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("dead-letter.jsonl");
        }
    }

    @Test
    void aRecordPostgresRejectsForGoodIsQuarantinedAtOnceInsteadOfSpooled() throws Exception {
        var rejected = record("rejected-at-once-" + tenant, tenant, key, Usage.of(1, 2, -1, 0),
                Instant.parse("2026-11-23T10:00:00Z")); // completion_tokens >= 0: CHECK

        recorder(live).record(rejected);

        assertThat(Files.exists(spoolDir.resolve("pending.jsonl"))).as("nothing that would block the replay").isFalse();
        assertThat(Files.readString(spoolDir.resolve("dead-letter.jsonl"))).contains(rejected.requestId());
    }

    @Test
    void aBatchPostgresRejectsIsSplitUntilTheRejectedRecordIsAloneAndEveryOtherRecordOfItCommits() throws Exception {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        UsageRecorder recorder = recorder(live);
        assertThat(recorder.record(record("first-" + tenant, tenant, key, Usage.of(0, 1, 1, 0), at))).isTrue(); // the roll-up row
        List<UsageRecord> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batch.add(record("batch-" + i + "-" + tenant, tenant, key, i == 4 ? Usage.of(1, 2, -1, 0) : Usage.of(1, 2, 3, 0), at));
        }
        try (Connection holder = live.getConnection(); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // the tenant's roll-up row held: the writer waits on it with one record while the batch gathers behind it
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM usage_daily WHERE tenant_id = ? FOR UPDATE")) {
                lock.setObject(1, tenant);
                lock.executeQuery().close();
            }
            Future<Boolean> waitingOnTheLock = clients.submit(() -> recorder.record(record("held-" + tenant, tenant, key,
                    Usage.of(0, 1, 1, 0), at)));
            awaitALockWait();
            List<Future<Boolean>> gathered = batch.stream().map(r -> clients.submit(() -> recorder.record(r))).toList();
            Thread.sleep(300); // lets every record of the batch reach the writer's queue
            holder.rollback();
            assertThat(waitingOnTheLock.get()).isTrue();
            for (Future<Boolean> each : gathered) {
                assertThat(each.get()).as("durable: written or quarantined").isTrue();
            }
        }

        assertThat(sql.sql("SELECT count(*) FROM usage_record WHERE tenant_id = ?").param(tenant).query(Long.class).single())
                .as("all but the rejected record").isEqualTo(10);
        assertThat(sql.sql("SELECT count(*) FROM usage_ledger WHERE tenant_id = ?").param(tenant).query(Long.class).single())
                .isEqualTo(10);
        assertThat(sql.sql("SELECT sum(requests) FROM usage_daily WHERE tenant_id = ?").param(tenant).query(Long.class).single())
                .as("each record in the roll-up once").isEqualTo(10);
        assertThat(Files.readAllLines(spoolDir.resolve("dead-letter.jsonl")))
                .singleElement().asString().contains(batch.get(4).requestId());
        assertThat(Files.exists(spoolDir.resolve("pending.jsonl"))).isFalse();
    }

    /** Waits until a session of the test database waits for a lock (the writer, on the held roll-up row). */
    private void awaitALockWait() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (sql.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                    .query(Long.class).single() > 0) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the usage writer never waited for the held roll-up row");
    }

    private static UsageRecord record(String id, UUID tenant, UUID key, Usage usage, Instant at) {
        return new UsageRecord(id, tenant, key, "demo-moe", URI.create("http://127.0.0.1:8090"), true, usage, at, at.plusSeconds(2),
                Outcome.COMPLETED);
    }

    private static double quarantined() {
        var counter = io.micrometer.core.instrument.Metrics.globalRegistry.find(UsageSpool.QUARANTINED_METRIC).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long reservations(JdbcClient sql, UsageRecord record) {
        return sql.sql("SELECT count(*) FROM admission_reservation WHERE request_id = ?").param(record.requestId()).query(Long.class).single();
    }

    private UsageRecorder recorder(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        var transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        return new UsageRecorder(jdbc, transactions, new TenantPriceBooks(jdbc), new UsageSpool(spoolDir),
                new DurableReservations(jdbc, transactions));
    }
}
