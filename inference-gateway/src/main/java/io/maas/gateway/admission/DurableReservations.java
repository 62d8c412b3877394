package io.maas.gateway.admission;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.gateway.scheduling.OneAtATime;
import jakarta.annotation.PreDestroy;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Money and token budgets, held in PostgreSQL next to the ledger they are checked against: daily and
 * monthly token budgets, the monthly spend limit, a prepaid balance, a postpaid credit limit.
 *
 * <p><b>Why PostgreSQL and not Redis.</b> The ledger is the source of truth for what was spent;
 * checking against it and reserving in the same database, in one transaction, leaves nothing to
 * rebuild when Redis loses its data and nothing to reconcile between two stores. The cost is one
 * short transaction per tenant and replica at a time, shared by the tenant's requests waiting for it
 * ({@link #reserve}).
 *
 * <p><b>The rule.</b> Under a transaction-scoped advisory lock of the tenant (so replicas take turns
 * per tenant, never per platform), for every limit: what is settled in the window (ledger and daily
 * roll-up: tokens = prompt + completion, amounts in the limit's currency) + what is reserved by
 * requests in flight (rows of {@code admission_reservation} within their lease) + this request's
 * worst case ({@link WorstCase}) must not exceed the limit; then the request's worst case is
 * inserted, tied to its request id, with {@code expires_at} = admission + lease. The reservation is
 * deleted in the transaction that writes the request's usage record and ledger entry (also when that
 * record is replayed from the usage spool after a database outage), so at every instant a settled
 * request is counted once, in the ledger or in its reservation, never in neither: the sum never
 * undercounts, hence never lets a limit be overrun as long as each request costs at most its worst case.
 * Windows are the tenant's days and months (its billing zone, SQL {@code tenant_billing_day}), as the roll-up counts them.
 *
 * <p><b>Blocks: admission without a round trip.</b> A replica reserves for several requests at once: a
 * <i>block</i> is one reservation row ({@code request_id} {@code block:…}) for the worst case of as many
 * requests of one key and model as it admitted in its busiest second of the last {@value #RATE_SECONDS}, or
 * as twice its requests in flight when more (at least {@value #MIN_BLOCK}, at most {@value #MAX_BLOCK}),
 * checked and written exactly as a request's own reservation, so every rule above counts it, on every
 * replica. Requests are then held in the block in memory while it has room (their worst cases add up to at
 * most the block) and is younger than a tenth of the lease ({@value #USABLE_SECONDS} s at most); the block's
 * row lives as long as a request held in it runs ({@link #renew}); a change of the limits or of the billing
 * makes a new block. The usage record's transaction takes what a request spent off its block's row, so the
 * request is counted once, in the ledger or in the block.
 *
 * <p><b>Ahead of need.</b> When a block taken at its full size has less than a quarter of its room or of its
 * usable time left, the request that finds it so starts a virtual thread that takes the key's next block (at
 * full size or not at all), so that the request finding the block used up moves to the next one without
 * waiting for PostgreSQL. At most one such block waits per key; unused for {@value #IDLE_SECONDS} s it is given
 * back as an idle block is.
 *
 * <p><b>Small balances.</b> When the limits leave less than a block, the block is halved, in the same
 * transaction, down to two requests' worst cases; when they leave less than that the request is reserved
 * alone, as before. A block idle for {@value #IDLE_SECONDS} s, used up or past its time gives back what its
 * requests in flight do not hold (before a new block is taken for its key, or, when the next block was taken
 * ahead, at once by a virtual thread), and its row goes once they end (and on shutdown), so no replica sits
 * on a small balance. A crashed replica's blocks end with their lease, as its requests' reservations do.
 *
 * <p>Answers: a budget or the spend limit used up is 429 {@code insufficient_quota}; a prepaid balance
 * that cannot cover the worst case is 402 {@code Insufficient Balance}; a postpaid tenant past its
 * credit limit is 429 {@code insufficient_quota}. The gateway running a request renews its reservation's
 * lease while it runs ({@link LeaseRenewal}); a reservation past its lease (its gateway died) no longer
 * counts and is deleted by a sweep every minute.
 */
@Component
public class DurableReservations {

    /** The tenant's calendar day at admission and the zone it is cut in ({@code tenant_billing_day}). */
    private record Calendar(LocalDate today, String zone) {

        String retryAfter(Instant now, LocalDate day) {
            return Long.toString(Math.max(1, Duration.between(now, day.atStartOfDay(ZoneId.of(zone)).toInstant()).toSeconds() + 1));
        }
    }

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private static final int MAX_BATCH = 256;
    private static final int MAX_BLOCK = 64;
    private static final int MIN_BLOCK = 16;
    private static final int RATE_SECONDS = 4;
    private static final long USABLE_SECONDS = 10;
    private static final long IDLE_SECONDS = 2;
    private static final String BLOCK_PREFIX = "block:";
    private static final Logger log = LoggerFactory.getLogger(DurableReservations.class);

    /** What a block is for: requests of one key and model, priced in one currency, under the same limits. */
    private record BlockKey(UUID tenantId, UUID keyId, String model, String currency, List<LimitPolicy> policies,
                            LimitPolicies.Billing billing) {
    }

    /**
     * A reservation of this replica for several requests' worst cases, one row of {@code admission_reservation}
     * ({@code request_id} = {@code block:…}): {@code amount}/{@code tokens} as in its row (not yet in the ledger),
     * {@code held*} by the requests in flight in it. Guarded by its monitor; {@code givingBack} lets one thread at a
     * time give back its room.
     */
    private static final class Block {
        final String id;
        final WorstCase size;
        final boolean full;
        final Instant takenAt;
        final Instant usableUntil;
        final ReentrantLock givingBack = new ReentrantLock();
        BigDecimal amount;
        long tokens;
        BigDecimal heldAmount = BigDecimal.ZERO;
        long heldTokens;
        int heldRequests;
        long lastHeld;
        boolean retired;

        /** {@code full}: taken at the size asked, not halved (the limits left room for it). */
        Block(String id, WorstCase size, boolean full, Instant takenAt, Instant usableUntil, long takenNanos) {
            this.id = id;
            this.size = size;
            this.full = full;
            this.amount = size.amount();
            this.tokens = size.tokens();
            this.takenAt = takenAt;
            this.usableUntil = usableUntil;
            this.lastHeld = takenNanos;
        }

        /** Whether less than a quarter of its room or of its usable time is left: time to take the next. Under its monitor. */
        boolean runningLow(Instant now) {
            return amount.subtract(heldAmount).multiply(BigDecimal.valueOf(4)).compareTo(size.amount()) < 0
                    || (tokens - heldTokens) * 4 < size.tokens()
                    || Duration.between(now, usableUntil).multipliedBy(4).compareTo(Duration.between(takenAt, usableUntil)) < 0;
        }
    }

    /** A request held in a block, with what it holds there. */
    private record Held(Block block, WorstCase worst) {
    }

    /**
     * Requests of a block key in each of the last {@value #RATE_SECONDS} seconds: a new block holds the worst cases of
     * as many requests as the busiest of them had, at least {@value #MIN_BLOCK}, at most {@value #MAX_BLOCK}.
     */
    private static final class Rate {
        private final int[] perSecond = new int[RATE_SECONDS];
        private long second = Long.MIN_VALUE;

        synchronized int count(long nowNanos) {
            long now = TimeUnit.NANOSECONDS.toSeconds(nowNanos);
            if (now > second) {
                for (long s = Math.max(second + 1, now - RATE_SECONDS + 1); s <= now; s++) {
                    perSecond[Math.floorMod(s, RATE_SECONDS)] = 0; // seconds without requests
                }
                second = now;
            }
            perSecond[Math.floorMod(now, RATE_SECONDS)]++;
            int busiest = 0;
            for (int count : perSecond) {
                busiest = Math.max(busiest, count);
            }
            return Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, busiest));
        }
    }

    private final Map<BlockKey, Block> blocks = new ConcurrentHashMap<>();
    private final Map<BlockKey, Block> ahead = new ConcurrentHashMap<>();
    private final Set<BlockKey> takingAhead = ConcurrentHashMap.newKeySet();
    private final Map<BlockKey, ReentrantLock> takers = new ConcurrentHashMap<>();
    private final Map<BlockKey, Rate> rates = new ConcurrentHashMap<>();
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Set<Block> retired = ConcurrentHashMap.newKeySet();
    private final OneAtATime sweeping = new OneAtATime();

    private final Map<UUID, Turn> turns = new ConcurrentHashMap<>();

    public DurableReservations(JdbcClient jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Whether a request under {@code policies} and {@code billing} with {@code worstCase} needs a durable reservation. */
    static boolean needed(List<LimitPolicy> policies, LimitPolicies.Billing billing, boolean priced) {
        return policies.stream().anyMatch(LimitPolicy::hasDurableLimits)
                || priced && (billing.prepaid() || billing.creditLimit() != null);
    }

    /**
     * A reservation waiting for its tenant's turn: of {@code worst} × {@code count}, or, when the limits leave less,
     * of the largest halving of {@code count} down to {@code fewest}; and its answer.
     */
    private record Ask(String requestId, UUID tenantId, UUID keyId, String model, List<LimitPolicy> policies,
                       LimitPolicies.Billing billing, WorstCase worst, int count, int fewest, Instant now, Duration lease,
                       CompletableFuture<Reserved> answer) {
    }

    /** How many worst cases were reserved, or (none) the refusal of the fewest. */
    private record Reserved(int count, ApiException refusal) {
    }

    /** A tenant's requests waiting to be reserved, and the turn to take them (fair: in arrival order). */
    private record Turn(Queue<Ask> waiting, ReentrantLock lock) {
    }

    /**
     * Checks every durable limit and reserves {@code worst}, or throws the refusal: from a block of this replica
     * when one has room (no database round trip), else from the block taken ahead of need, else by taking a new
     * block sized to the recent rate (halved when the limits leave less), else by reserving the request alone; see
     * the class comment.
     */
    void reserve(String requestId, UUID tenantId, UUID keyId, String model, List<LimitPolicy> policies,
                 LimitPolicies.Billing billing, WorstCase worst, Instant now, Duration lease) {
        var key = new BlockKey(tenantId, keyId, model, worst.currency(), policies, billing);
        int size = rates.computeIfAbsent(key, k -> new Rate()).count(System.nanoTime());
        if (hold(key, requestId, worst, now, size, lease)) {
            return;
        }
        ReentrantLock taking = takers.computeIfAbsent(key, k -> new ReentrantLock());
        taking.lock();
        try {
            if (hold(key, requestId, worst, now, size, lease)) {
                return;
            }
            Block current = blocks.get(key);
            Block next = ahead.remove(key);
            if (current != null && blocks.remove(key, current)) {
                retire(current); // no room left, or past its time: what its requests do not hold goes back
                if (next != null) {
                    Thread.ofVirtual().name("block-give-back").start(() -> giveBack(current));
                } else {
                    giveBack(current); // first, so that the block taken next can count it
                }
            }
            if (next != null) {
                blocks.put(key, next);
                if (hold(key, requestId, worst, now, size, lease)) {
                    return;
                }
                blocks.remove(key, next); // too small for this request, or past its time
                retire(next);
                giveBack(next);
            }
            next = take(key, worst, Math.max(size, burst(current, taking)), 2, now, lease);
            if (next != null) {
                blocks.put(key, next);
                if (hold(key, requestId, worst, now, size, lease)) {
                    return;
                }
            }
        } finally {
            taking.unlock();
        }
        Reserved alone = inTurn(requestId, tenantId, keyId, model, policies, billing, worst, 1, 1, now, lease);
        if (alone.refusal() != null) {
            throw alone.refusal();
        }
    }

    /**
     * Holds {@code worst} for {@code requestId} in the current block of {@code key}, if it is usable and has room; when
     * that leaves a full-size block running low, starts taking the key's next block ahead of need ({@code size} requests).
     */
    private boolean hold(BlockKey key, String requestId, WorstCase worst, Instant now, int size, Duration lease) {
        Block block = blocks.get(key);
        if (block == null) {
            return false;
        }
        boolean low;
        synchronized (block) {
            if (block.retired || !now.isBefore(block.usableUntil)
                    || block.amount.subtract(block.heldAmount).compareTo(worst.amount()) < 0
                    || block.tokens - block.heldTokens < worst.tokens()) {
                return false;
            }
            block.heldAmount = block.heldAmount.add(worst.amount());
            block.heldTokens += worst.tokens();
            block.heldRequests++;
            block.lastHeld = System.nanoTime();
            low = block.full && block.runningLow(now);
        }
        held.put(requestId, new Held(block, worst));
        if (low && !ahead.containsKey(key) && takingAhead.add(key)) {
            Thread.ofVirtual().name("block-ahead").start(() -> takeAhead(key, block, worst, size, lease));
        }
        return true;
    }

    /**
     * Takes the next block of {@code key} while {@code running} is still its block: at full size or not at all (a
     * small balance is not locked up in blocks waiting to be used). A failure only means the next request takes it.
     */
    private void takeAhead(BlockKey key, Block running, WorstCase worst, int size, Duration lease) {
        ReentrantLock taking = takers.computeIfAbsent(key, k -> new ReentrantLock());
        taking.lock();
        try {
            if (blocks.get(key) == running && !ahead.containsKey(key)) {
                int count = Math.max(size, burst(running, taking));
                Block next = take(key, worst, count, count, Instant.now(), lease);
                if (next != null) {
                    ahead.put(key, next);
                }
            }
        } catch (RuntimeException e) {
            log.debug("Next block of tenant {} not taken ahead ({}); the request that needs it takes it", key.tenantId(), e.getMessage());
        } finally {
            taking.unlock();
            takingAhead.remove(key);
        }
    }

    /**
     * Twice the requests of a key in flight: held in its block {@code current} (may be null) and waiting for {@code taking}
     * (an estimate), at most {@value #MAX_BLOCK}: a burst of requests of an idle key fills its next block at once.
     */
    private static int burst(Block current, ReentrantLock taking) {
        int inFlight = taking.getQueueLength() + 1;
        if (current != null) {
            synchronized (current) {
                inFlight += current.heldRequests;
            }
        }
        return Math.min(MAX_BLOCK, 2 * inFlight);
    }

    /** A new block of {@code key} for {@code worst} × {@code size}, or its largest halving down to {@code fewest}; null when none fits. */
    private Block take(BlockKey key, WorstCase worst, int size, int fewest, Instant now, Duration lease) {
        String blockId = BLOCK_PREFIX + UUID.randomUUID();
        Reserved taken = inTurn(blockId, key.tenantId(), key.keyId(), key.model(), key.policies(), key.billing(), worst, size, fewest,
                now, lease);
        return taken.refusal() != null ? null
                : new Block(blockId, worst.times(taken.count()), taken.count() == size, now, now.plus(usable(lease)), System.nanoTime());
    }

    /**
     * Reserves in the tenant's turn. A tenant's requests take turns
     * in this JVM on a fair lock; whoever has the turn takes every request of the tenant waiting by then (at most
     * {@value #MAX_BATCH}) and reserves them one after the other in one transaction under the tenant's advisory
     * lock, each checked against the reservations of those before it, exactly as if each had its own transaction;
     * every request returns once the transaction holding its reservation committed. A busy tenant's requests thus
     * share a commit instead of queueing for one each.
     */
    private Reserved inTurn(String requestId, UUID tenantId, UUID keyId, String model, List<LimitPolicy> policies,
                            LimitPolicies.Billing billing, WorstCase worst, int count, int fewest, Instant now, Duration lease) {
        var ask = new Ask(requestId, tenantId, keyId, model, policies, billing, worst, count, fewest, now, lease,
                new CompletableFuture<>());
        Turn turn = turns.computeIfAbsent(tenantId, id -> new Turn(new ConcurrentLinkedQueue<>(), new ReentrantLock(true)));
        turn.waiting().add(ask);
        while (!ask.answer().isDone()) {
            turn.lock().lock();
            try {
                List<Ask> batch = new ArrayList<>();
                for (Ask next; batch.size() < MAX_BATCH && (next = turn.waiting().poll()) != null; ) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    reserveAll(batch);
                }
            } finally {
                turn.lock().unlock();
            }
        }
        try {
            return ask.answer().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** Reserves {@code batch} in one transaction; completes each request's answer once it committed (or failed). */
    private void reserveAll(List<Ask> batch) {
        List<Reserved> answers = new ArrayList<>(batch.size());
        try {
            transactions.executeWithoutResult(status -> {
                answers.clear();
                Ask first = batch.getFirst();
                jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?)) AS locked")
                        .param(first.tenantId().getMostSignificantBits() ^ first.tenantId().getLeastSignificantBits())
                        .query(Integer.class).single();
                for (Ask ask : batch) {
                    try {
                        answers.add(new Reserved(reserveInTurn(ask), null));
                    } catch (ApiException refused) {
                        answers.add(new Reserved(0, refused)); // checked before anything of it was written: the others go on
                    }
                }
            });
        } catch (RuntimeException e) {
            batch.forEach(ask -> ask.answer().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer().complete(answers.get(i));
        }
    }

    /**
     * Checks and reserves the ask's worst case × its count, else × the largest halving of the count the limits leave
     * room for, down to its fewest, in the transaction holding its tenant's advisory lock; returns the count reserved.
     * Refused: the refusal of the fewest, with nothing written.
     */
    private int reserveInTurn(Ask ask) {
        UUID tenantId = ask.tenantId();
        Instant now = ask.now();
        Calendar calendar = jdbc.sql("SELECT tenant_billing_day(?, ?) AS today, tenant_billing_zone(?, ?) AS zone")
                .params(tenantId, Timestamp.from(now), tenantId, Timestamp.from(now))
                .query(Calendar.class).single();
        for (int count = ask.count(); ; count /= 2) {
            WorstCase worst = ask.worst().times(count);
            try {
                check(ask, worst, calendar);
            } catch (ApiException refused) {
                if (count / 2 < ask.fewest()) {
                    throw refused;
                }
                continue;
            }
            jdbc.sql("""
                            INSERT INTO admission_reservation (request_id, tenant_id, api_key_id, model, tokens, currency, amount,
                                reserved_at, expires_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(ask.requestId(), tenantId, ask.keyId(), ask.model(), worst.tokens(), worst.currency(), worst.amount(),
                            Timestamp.from(now), Timestamp.from(now.plus(ask.lease())))
                    .update();
            return count;
        }
    }

    /** Checks every durable limit of {@code ask} against {@code worst}; throws the refusal. */
    private void check(Ask ask, WorstCase worst, Calendar calendar) {
        Instant now = ask.now();
        LocalDate today = calendar.today();
        LocalDate month = today.withDayOfMonth(1);
        for (LimitPolicy policy : ask.policies()) {
            checkTokens(policy, policy.dailyTokens(), "daily", today, today.plusDays(1), calendar, worst, now);
            checkTokens(policy, policy.monthlyTokens(), "monthly", month, month.plusMonths(1), calendar, worst, now);
            checkSpend(policy, month, calendar, worst, now);
        }
        LimitPolicies.Billing billing = ask.billing();
        if (worst.priced() && (billing.prepaid() || billing.creditLimit() != null)) {
            checkBalance(ask.tenantId(), billing, worst, today, now);
        }
    }

    /**
     * Deletes reservations past their lease (a crashed gateway's). They stopped counting when their
     * lease ended; this only keeps the table small, away from the admissions' critical section.
     */
    @Scheduled(fixedRate = 60, timeUnit = TimeUnit.SECONDS)
    void sweepExpired() {
        jdbc.sql("DELETE FROM admission_reservation WHERE expires_at <= ?").param(Timestamp.from(Instant.now())).update();
    }

    /**
     * Extends the reservations of {@code requestIds} that are still within their lease to {@code now + lease}
     * (never shortening one): a request's own row, or the row of the block it is held in. One past its lease
     * stopped counting and is not revived: what it held may have been reserved by another request since. Needs
     * no tenant lock: a live reservation stays live, and a check under the lock counts it either way.
     */
    void renew(List<String> requestIds, Instant now, Duration lease) {
        Set<String> rows = new LinkedHashSet<>();
        for (String requestId : requestIds) {
            Held hold = held.get(requestId);
            rows.add(hold == null ? requestId : hold.block().id);
        }
        jdbc.sql("UPDATE admission_reservation SET expires_at = greatest(expires_at, ?) WHERE request_id = ANY (?) AND expires_at > ?")
                .params(Timestamp.from(now.plus(lease)), rows.toArray(String[]::new), Timestamp.from(now))
                .update();
    }

    /**
     * Ends the reservation of {@code requestId}, a request that did not run ({@link Admission#release()}), or of a
     * request whose gateway died (the orphan sweeper): nothing of it was spent. Idempotent.
     */
    public void end(String requestId) {
        Held hold = held.remove(requestId);
        if (hold != null) {
            synchronized (hold.block()) {
                hold.block().heldAmount = hold.block().heldAmount.subtract(hold.worst().amount());
                hold.block().heldTokens -= hold.worst().tokens();
                hold.block().heldRequests--;
            }
            return;
        }
        jdbc.sql("DELETE FROM admission_reservation WHERE request_id = ?").param(requestId).update();
    }

    /** What a settled request spent, as its ledger entry says: tokens (prompt + completion) and amount in {@code currency}. */
    public record Spent(String requestId, long tokens, String currency, BigDecimal amount) {
    }

    /**
     * Ends the reservations of requests that ran, in the transaction that counts them in the ledger (the usage
     * record's writer), so that their spend is counted once, never zero times: a request reserved alone has its
     * row deleted; one held in a block has what it spent taken off the block's row (the rest of its worst case
     * goes back to the block's room once the transaction committed). Block rows are updated in the order of their
     * ids, so concurrent settlements cannot deadlock on them.
     */
    public void end(List<Spent> settled) {
        List<String> alone = new ArrayList<>();
        Map<Block, Spent> fromBlocks = new TreeMap<>(Comparator.comparing(block -> block.id)); // rows locked in one order
        List<Held> holds = new ArrayList<>();
        List<Spent> spents = new ArrayList<>();
        for (Spent spent : settled) {
            Held hold = held.get(spent.requestId());
            if (hold == null) {
                alone.add(spent.requestId());
                continue;
            }
            // spent in another currency than reserved (the book changed in flight): nothing of the block's currency
            BigDecimal amount = hold.worst().currency().equals(spent.currency()) ? spent.amount().min(hold.worst().amount()) : BigDecimal.ZERO;
            var taken = new Spent(spent.requestId(), Math.min(spent.tokens(), hold.worst().tokens()), spent.currency(), amount);
            holds.add(hold);
            spents.add(taken);
            fromBlocks.merge(hold.block(), taken, (a, b) -> new Spent(a.requestId(), a.tokens() + b.tokens(), a.currency(),
                    a.amount().add(b.amount())));
        }
        if (!alone.isEmpty()) {
            jdbc.sql("DELETE FROM admission_reservation WHERE request_id = ANY(?)").param(alone.toArray(String[]::new)).update();
        }
        fromBlocks.forEach((block, spent) -> jdbc.sql("""
                        UPDATE admission_reservation SET amount = GREATEST(0, amount - ?), tokens = GREATEST(0, tokens - ?)
                        WHERE request_id = ?""")
                .params(spent.amount(), spent.tokens(), block.id).update());
        if (holds.isEmpty()) {
            return;
        }
        Runnable committed = () -> {
            for (int i = 0; i < holds.size(); i++) {
                Held hold = holds.get(i);
                Spent spent = spents.get(i);
                held.remove(spent.requestId());
                synchronized (hold.block()) {
                    hold.block().amount = hold.block().amount.subtract(spent.amount());
                    hold.block().tokens -= spent.tokens();
                    hold.block().heldAmount = hold.block().heldAmount.subtract(hold.worst().amount());
                    hold.block().heldTokens -= hold.worst().tokens();
                    hold.block().heldRequests--;
                }
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.run();
                }
            });
        } else {
            committed.run();
        }
    }

    /**
     * Gives back what blocks hold beyond their requests in flight: a block that is used up, past its time, or idle for
     * {@value #IDLE_SECONDS} s is retired (no new request is held in it); a retired block's row is shrunk to what its
     * requests in flight hold, and deleted once they have all ended. Every second, and on shutdown; the rows of every
     * retired block without requests in flight in one statement, however many tenants have one (a statement for each kept
     * a sweep of two thousand tenants' blocks busy for seconds). One sweep at a time: one started while the last still
     * runs skips.
     */
    @Scheduled(fixedRate = 1, timeUnit = TimeUnit.SECONDS)
    void giveBack() {
        sweeping.unlessRunning(() -> {
            long now = System.nanoTime();
            Instant wall = Instant.now();
            retireWhere(block -> now - block.lastHeld > TimeUnit.SECONDS.toNanos(IDLE_SECONDS) || !wall.isBefore(block.usableUntil));
            giveBackRetired();
        });
    }

    /** Retires the blocks, current or taken ahead, that {@code done} holds for (under the block's monitor). */
    private void retireWhere(Predicate<Block> done) {
        for (Map<BlockKey, Block> kept : List.of(blocks, ahead)) {
            kept.forEach((key, block) -> {
                boolean retiring;
                synchronized (block) {
                    retiring = done.test(block);
                }
                if (retiring && kept.remove(key, block)) {
                    retire(block);
                }
            });
        }
    }

    /** Gives back the retired blocks that no other thread is giving back now. */
    private void giveBackRetired() {
        List<Block> mine = new ArrayList<>();
        for (Block block : retired) {
            if (block.givingBack.tryLock()) {
                mine.add(block);
            }
        }
        try {
            giveBackNow(mine);
        } finally {
            mine.forEach(block -> block.givingBack.unlock());
        }
    }

    /**
     * Gives back what a retired block holds beyond its requests in flight (its row keeps what they hold), or its
     * row once they have all ended. Relative updates, so a settlement committing meanwhile is never undone; one
     * thread at a time per block (two would give back the same room twice), so one finding it taken leaves it to
     * the one giving back and to the next sweep.
     */
    private void giveBack(Block block) {
        if (!block.givingBack.tryLock()) {
            return;
        }
        try {
            giveBackNow(List.of(block));
        } finally {
            block.givingBack.unlock();
        }
    }

    /**
     * Gives back the room of {@code mine}, retired blocks whose {@code givingBack} this thread holds: the rows of those
     * without requests in flight go in one statement (no settlement can be pending for them); each of the others is
     * shrunk on its own, a row at a time, as a settlement's transaction locks block rows in their order and a
     * statement locking several here could deadlock with it.
     */
    private void giveBackNow(List<Block> mine) {
        List<Block> empty = new ArrayList<>();
        for (Block block : mine) {
            BigDecimal free;
            long freeTokens;
            synchronized (block) {
                if (block.heldAmount.signum() == 0 && block.heldTokens == 0) {
                    empty.add(block);
                    continue;
                }
                free = block.amount.subtract(block.heldAmount);
                freeTokens = block.tokens - block.heldTokens;
            }
            if (free.signum() > 0 || freeTokens > 0) {
                try {
                    jdbc.sql("UPDATE admission_reservation SET amount = amount - ?, tokens = tokens - ? WHERE request_id = ?")
                            .params(free, freeTokens, block.id).update();
                    synchronized (block) {
                        block.amount = block.amount.subtract(free);
                        block.tokens -= freeTokens;
                    }
                } catch (DataAccessException e) {
                    log.debug("Block {} not given back yet ({}); it ends with its lease at the latest", block.id, e.getMessage());
                }
            }
        }
        if (empty.isEmpty()) {
            return;
        }
        try {
            jdbc.sql("DELETE FROM admission_reservation WHERE request_id = ANY (?)")
                    .param(empty.stream().map(block -> block.id).toArray(String[]::new)).update();
            empty.forEach(retired::remove);
        } catch (DataAccessException e) {
            log.debug("{} blocks not given back yet ({}); each ends with its lease at the latest", empty.size(), e.getMessage());
        }
    }

    /**
     * Gives back every block's room on shutdown; blocks that still hold requests keep what those hold. Waits for a sweep
     * still running, so that none is skipped.
     */
    @PreDestroy
    void close() {
        sweeping.afterRunning(() -> {
            retireWhere(block -> true);
            giveBackRetired();
        });
    }

    private void retire(Block block) {
        synchronized (block) {
            block.retired = true;
        }
        retired.add(block);
    }

    /** How long a block takes new requests: a tenth of the lease, at most {@value #USABLE_SECONDS} s. */
    private static Duration usable(Duration lease) {
        return Duration.ofMillis(Math.min(TimeUnit.SECONDS.toMillis(USABLE_SECONDS), lease.toMillis() / 10));
    }

    private void checkTokens(LimitPolicy policy, Long limit, String period, LocalDate from, LocalDate until, Calendar calendar,
                             WorstCase worst, Instant now) {
        if (limit == null) {
            return;
        }
        long used = settledPlusReserved(policy, "cache_hit_tokens + cache_miss_tokens + output_tokens", "tokens", from, null, now).longValue();
        if (used + worst.tokens() > limit) {
            throw new ApiException(ApiError.INSUFFICIENT_QUOTA, "The " + period + " token budget of your " + policy.describe()
                    + " is used up: " + used + " of " + limit + " tokens are used or reserved this " + (period.equals("daily") ? "day" : "month")
                    + " (" + calendar.zone() + ") and this request may need up to " + worst.tokens() + " (prompt upper bound + max_tokens)."
                    + " Lower max_tokens, or retry after " + until + " 00:00 " + calendar.zone() + ".")
                    .withHeader("Retry-After", calendar.retryAfter(now, until));
        }
    }

    private void checkSpend(LimitPolicy policy, LocalDate month, Calendar calendar, WorstCase worst, Instant now) {
        if (policy.monthlySpendLimit() == null || !policy.monthlySpendCurrency().equals(worst.currency())) {
            return;
        }
        String currency = policy.monthlySpendCurrency();
        BigDecimal spent = settledPlusReserved(policy, "amount", "amount", month, currency, now);
        if (spent.add(worst.amount()).compareTo(policy.monthlySpendLimit()) > 0) {
            LocalDate next = month.plusMonths(1);
            throw new ApiException(ApiError.INSUFFICIENT_QUOTA, "The monthly spend limit of your " + policy.describe() + " ("
                    + currency + " " + plain(policy.monthlySpendLimit()) + ") is reached: " + currency + " " + plain(spent)
                    + " is spent or reserved this month (" + calendar.zone() + ") and this request may cost up to " + currency + " "
                    + plain(worst.amount()) + ". Lower max_tokens, ask your administrator to raise the limit, or retry after " + next
                    + " 00:00 " + calendar.zone() + ".")
                    .withHeader("Retry-After", calendar.retryAfter(now, next));
        }
    }

    private void checkBalance(UUID tenantId, LimitPolicies.Billing billing, WorstCase worst, LocalDate today, Instant now) {
        BigDecimal[] funds = jdbc.sql("""
                        SELECT b.granted + b.topped_up,
                               (SELECT COALESCE(sum(amount), 0) FROM admission_reservation
                                WHERE tenant_id = ? AND currency = ? AND expires_at > ?)
                        FROM tenant_balance(?, ?, ?) b""")
                .params(tenantId, worst.currency(), Timestamp.from(now), tenantId, worst.currency(), Date.valueOf(today))
                .query((rs, row) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).single();
        BigDecimal balance = funds[0];
        BigDecimal reserved = funds[1];
        if (billing.prepaid()) {
            if (balance.subtract(reserved).compareTo(worst.amount()) < 0) {
                throw new ApiException(ApiError.INSUFFICIENT_BALANCE, "Insufficient Balance: your balance of " + worst.currency() + " "
                        + plain(balance) + ", less " + worst.currency() + " " + plain(reserved) + " held by requests in flight, cannot cover"
                        + " this request's worst case of " + worst.currency() + " " + plain(worst.amount())
                        + " (prompt upper bound + max_tokens at the highest price). Top up, or lower max_tokens.");
            }
        } else if (balance.add(billing.creditLimit()).subtract(reserved).compareTo(worst.amount()) < 0) {
            throw new ApiException(ApiError.INSUFFICIENT_QUOTA, "Your tenant's credit limit of " + worst.currency() + " "
                    + plain(billing.creditLimit()) + " is used up: balance " + plain(balance) + ", " + plain(reserved)
                    + " held by requests in flight, and this request may cost up to " + plain(worst.amount())
                    + ". Pay the open amount or ask your administrator to raise the credit limit.")
                    .withHeader("Retry-After", "3600");
        }
    }

    /**
     * {@code settledExpression} summed over settled usage of the policy's scope since {@code from}, plus
     * {@code reservedColumn} summed over its live reservations: one statement; amounts in {@code currency}.
     */
    private BigDecimal settledPlusReserved(LimitPolicy policy, String settledExpression, String reservedColumn, LocalDate from,
                                           String currency, Instant now) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT (" + settled(policy, settledExpression, from, currency, params) + ") + ("
                + reserved(policy, reservedColumn, currency, now, params) + ")";
        return jdbc.sql(sql).params(params).query(BigDecimal.class).single();
    }

    /** The query of {@code expression} summed over settled usage of the policy's scope since {@code from}; adds its parameters. */
    private static String settled(LimitPolicy policy, String expression, LocalDate from, String currency, List<Object> params) {
        params.add(policy.tenantId());
        StringBuilder sql = new StringBuilder("SELECT COALESCE(sum(" + expression + "), 0) FROM ");
        if (policy.keyId() == null) {
            sql.append("usage_daily WHERE tenant_id = ? AND day >= ?");
            params.add(Date.valueOf(from));
        } else {
            sql.append("usage_ledger WHERE tenant_id = ? AND occurred_at >= tenant_day_start(?, ?) AND api_key_id = ?");
            params.add(policy.tenantId());
            params.add(Date.valueOf(from));
            params.add(policy.keyId());
        }
        narrow(policy, currency, sql, params);
        return sql.toString();
    }

    /** The query of {@code column} summed over the live reservations of the policy's scope; adds its parameters. */
    private static String reserved(LimitPolicy policy, String column, String currency, Instant now, List<Object> params) {
        params.add(policy.tenantId());
        params.add(Timestamp.from(now));
        StringBuilder sql = new StringBuilder("SELECT COALESCE(sum(" + column + "), 0) FROM admission_reservation WHERE tenant_id = ? AND expires_at > ?");
        if (policy.keyId() != null) {
            sql.append(" AND api_key_id = ?");
            params.add(policy.keyId());
        }
        narrow(policy, currency, sql, params);
        return sql.toString();
    }

    private static void narrow(LimitPolicy policy, String currency, StringBuilder sql, List<Object> params) {
        if (policy.model() != null) {
            sql.append(" AND model = ?");
            params.add(policy.model());
        }
        if (currency != null) {
            sql.append(" AND currency = ?");
            params.add(currency);
        }
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }
}
