package io.maas.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.api.tenant.BillingMode;
import io.maas.db.testing.TestDatabase;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.metering.UsageSpool;
import io.maas.gateway.pricebook.TenantPriceBooks;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Blocks (a replica's reservation for several requests, held from in memory) never let a balance be overrun,
 * however many replicas take them, and never keep money that no request holds: a small balance drained by two
 * replicas at once ends spent, never overspent, with nothing left reserved; a block of a replica that died
 * keeps its money out of the others' reach until its lease ends, then frees it. A key's blocks hold at least
 * sixteen requests, and the next is taken before the requests need it.
 */
class BlockReservationsIT {

    private static final String MODEL = "block-model";
    /** 100 prompt + 100 output tokens at CNY 2 and 8 per million: CNY 0.001. */
    private static final WorstCase WORST = new WorstCase(100, 100, new BigDecimal("0.001"), "CNY");
    private static final LimitPolicies.Billing PREPAID = new LimitPolicies.Billing(BillingMode.PREPAID, null);

    @TempDir
    Path spoolDir;

    private final DataSource dataSource;
    private final JdbcClient sql;
    private final TransactionTemplate transactions;
    private final UUID tenant = UUID.randomUUID();
    private final UUID key = UUID.randomUUID();

    BlockReservationsIT() {
        TestDatabase db = TestDatabase.get();
        dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        sql = JdbcClient.create(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        sql.sql("INSERT INTO tenant (id, name, billing_mode) VALUES (?, ?, 'PREPAID')").params(tenant, "blocks-" + tenant).update();
        sql.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash) VALUES (?, ?, 'k', 'sk-blocks', ?)")
                .params(key, tenant, ApiKeySecret.hash(ApiKeySecret.generate())).update();
        UUID book = UUID.randomUUID();
        sql.sql("INSERT INTO price_book (id, name) VALUES (?, ?)").params(book, "blocks-" + book).update();
        sql.sql("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', "
                + "'2020-01-01T00:00:00Z', ?::jsonb)").params(book, "{\"version\":\"v1\",\"effectiveFrom\":\"2020-01-01T00:00:00Z\","
                + "\"models\":{\"" + MODEL + "\":{\"cacheHit\":\"0.5\",\"cacheMiss\":\"2\",\"output\":\"8\",\"currency\":\"CNY\"}},"
                + "\"schedule\":{\"timezone\":\"UTC\",\"defaultTier\":\"standard\",\"tiers\":[{\"name\":\"standard\","
                + "\"pricing\":{\"multiplier\":\"1\"}}]}}").update();
        sql.sql("UPDATE tenant SET price_book_id = ? WHERE id = ?").params(book, tenant).update();
    }

    @Test
    void twoReplicasDrainingOneSmallBalanceNeverOverspendItAndLeaveNothingReserved() throws Exception {
        topUp("0.05"); // 50 worst cases; each request spends CNY 0.0006
        var first = new DurableReservations(sql, transactions);
        var second = new DurableReservations(sql, transactions);
        UsageRecorder firstRecorder = recorder(first);
        UsageRecorder secondRecorder = recorder(second);
        List<Future<Integer>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                clients.add(threads.submit(() -> drain(first, firstRecorder)));
                clients.add(threads.submit(() -> drain(second, secondRecorder)));
            }
        }
        int served = 0;
        for (Future<Integer> client : clients) {
            served += client.get();
        }
        first.close();
        second.close();
        firstRecorder.close();
        secondRecorder.close();

        BigDecimal spent = sql.sql("SELECT COALESCE(sum(amount), 0) FROM usage_ledger WHERE tenant_id = ?").param(tenant)
                .query(BigDecimal.class).single();
        assertThat(spent).as("never more than the balance").isLessThanOrEqualTo(new BigDecimal("0.05"));
        assertThat(spent).as("%d requests served", served).isEqualByComparingTo(new BigDecimal("0.0006").multiply(BigDecimal.valueOf(served)));
        assertThat(served).as("the balance was used, not locked away in blocks: each request reserved CNY 0.001 of CNY 0.05")
                .isGreaterThanOrEqualTo(50);
        assertThat(reserved()).as("nothing left reserved once both replicas gave back").isZero();
    }

    @Test
    void aBlockOfAReplicaThatDiedKeepsItsMoneyFromTheOthersUntilItsLeaseEnds() throws Exception {
        topUp("0.01"); // 10 worst cases
        var dying = new DurableReservations(sql, transactions);
        for (int i = 0; i < 6; i++) {
            reserve(dying, Duration.ofSeconds(2)); // a block, halved to what the balance leaves
        }
        BigDecimal heldByTheDead = sql.sql("SELECT sum(amount) FROM admission_reservation WHERE tenant_id = ?").param(tenant)
                .query(BigDecimal.class).single();
        assertThat(heldByTheDead).as("six requests' worst cases at least, in blocks or alone").isGreaterThanOrEqualTo(new BigDecimal("0.006"));
        assertThat(sql.sql("SELECT count(*) FROM admission_reservation WHERE tenant_id = ? AND request_id LIKE 'block:%'").param(tenant)
                .query(Long.class).single()).as("it took a block").isPositive();
        // the replica dies: nothing of it runs any more, its rows stay

        var survivor = new DurableReservations(sql, transactions);
        int before = reserveUntilRefused(survivor);
        assertThat(before * 0.001 + heldByTheDead.doubleValue()).as("the dead replica's money stays out of reach").isLessThanOrEqualTo(0.01 + 1e-9);
        Thread.sleep(2_100); // its lease ends
        int after = reserveUntilRefused(survivor);

        assertThat(before + after).as("then the whole balance, and not a worst case more").isEqualTo(10);
    }

    @Test
    void aKeysRequestsAreHeldInBlocksOfAtLeastSixteenAndTheNextBlockIsTakenBeforeItIsNeeded() throws Exception {
        topUp("100");
        AtomicInteger reservations = new AtomicInteger();
        var replica = new DurableReservations(sql, new TransactionOperations() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                reservations.incrementAndGet();
                return transactions.execute(action);
            }
        });
        String first = UUID.randomUUID().toString();
        replica.reserve(first, tenant, key, MODEL, List.of(), PREPAID, WORST, Instant.now(), Duration.ofMinutes(30));
        assertThat(sql.sql("SELECT request_id, amount FROM admission_reservation WHERE tenant_id = ?").param(tenant)
                .query((rs, row) -> rs.getString(1).startsWith("block:") + " " + rs.getBigDecimal(2).stripTrailingZeros().toPlainString())
                .list()).as("the first request of a key is held in a block for sixteen, not reserved alone")
                .containsExactly("true 0.016");
        for (int i = 1; i < 13; i++) {
            reserve(replica, Duration.ofMinutes(30)); // in flight: 13 of the block's 16
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (blocks() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(blocks()).as("with a quarter of its room left, the next block is taken ahead of need").isEqualTo(2);
        int taken = reservations.get();
        for (int i = 13; i < 20; i++) {
            reserve(replica, Duration.ofMinutes(30)); // the 17th finds the first block full
        }
        assertThat(reservations.get()).as("the requests past the first block are held in the next without a transaction of their own")
                .isEqualTo(taken).isEqualTo(2);
        replica.close();
    }

    @Test
    void idleBlocksWithoutRequestsGoBackInOneSweepAndABlockKeepsWhatItsRequestsInFlightHold() throws Exception {
        topUp("100");
        var replica = new DurableReservations(sql, transactions);
        List<String> requests = new ArrayList<>();
        for (String model : List.of(MODEL, MODEL + "-b", MODEL + "-c")) { // a block per model
            String id = UUID.randomUUID().toString();
            replica.reserve(id, tenant, key, model, List.of(), PREPAID, WORST, Instant.now(), Duration.ofMinutes(30));
            requests.add(id);
        }
        replica.end(requests.get(1));
        replica.end(requests.get(2));
        assertThat(blockAmounts()).as("three blocks of sixteen worst cases").containsExactly("0.016", "0.016", "0.016");

        Thread.sleep(2_100); // idle
        replica.giveBack();
        assertThat(blockAmounts()).as("the blocks without requests are gone; the other keeps its one request's worst case")
                .containsExactly("0.001");

        replica.end(requests.getFirst());
        replica.giveBack();
        assertThat(reserved()).as("nothing reserved once the last request ended").isZero();
    }

    /** Reserves and settles requests of {@code replica} until the balance refuses one; how many were served. */
    private int drain(DurableReservations replica, UsageRecorder recorder) {
        int served = 0;
        while (true) {
            String id = UUID.randomUUID().toString();
            Instant now = Instant.now();
            try {
                replica.reserve(id, tenant, key, MODEL, List.of(), PREPAID, WORST, now, Duration.ofMinutes(30));
            } catch (ApiException refused) {
                return served;
            }
            recorder.record(new UsageRecord(id, tenant, key, MODEL, URI.create("http://engine"), true, Usage.of(0, 100, 50, 0),
                    now, Instant.now(), Outcome.COMPLETED));
            served++;
        }
    }

    private int reserveUntilRefused(DurableReservations replica) {
        int admitted = 0;
        while (true) {
            try {
                reserve(replica, Duration.ofMinutes(30));
                admitted++;
            } catch (ApiException refused) {
                return admitted;
            }
        }
    }

    private void reserve(DurableReservations replica, Duration lease) {
        replica.reserve(UUID.randomUUID().toString(), tenant, key, MODEL, List.of(), PREPAID, WORST, Instant.now(), lease);
    }

    private void topUp(String amount) {
        sql.sql("INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, created_by) VALUES (?, ?, 'TOP_UP', 'CNY', ?, 'test')")
                .params(UUID.randomUUID(), tenant, new BigDecimal(amount)).update();
    }

    private long blocks() {
        return sql.sql("SELECT count(*) FROM admission_reservation WHERE tenant_id = ? AND request_id LIKE 'block:%'").param(tenant)
                .query(Long.class).single();
    }

    private List<String> blockAmounts() {
        return sql.sql("SELECT amount FROM admission_reservation WHERE tenant_id = ? AND request_id LIKE 'block:%' ORDER BY amount").param(tenant)
                .query((rs, row) -> rs.getBigDecimal(1).stripTrailingZeros().toPlainString()).list();
    }

    private long reserved() {
        return sql.sql("SELECT count(*) FROM admission_reservation WHERE tenant_id = ?").param(tenant).query(Long.class).single();
    }

    private UsageRecorder recorder(DurableReservations reservations) {
        return new UsageRecorder(sql, transactions, new TenantPriceBooks(sql), new UsageSpool(spoolDir), reservations);
    }
}
