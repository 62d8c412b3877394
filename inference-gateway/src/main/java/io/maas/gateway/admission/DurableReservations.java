package io.maas.gateway.admission;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

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
 * <p>Answers: a budget or the spend limit used up is 429 {@code insufficient_quota}; a prepaid balance
 * that cannot cover the worst case is 402 {@code Insufficient Balance}; a postpaid tenant past its
 * credit limit is 429 {@code insufficient_quota}. A reservation past its lease (a crashed gateway)
 * no longer counts and is deleted by a sweep every minute.
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

    /** A request waiting for its tenant's turn, and its answer: admitted (null) or the refusal. */
    private record Ask(String requestId, UUID tenantId, UUID keyId, String model, List<LimitPolicy> policies,
                       LimitPolicies.Billing billing, WorstCase worst, Instant now, Duration lease,
                       CompletableFuture<ApiException> answer) {
    }

    /** A tenant's requests waiting to be reserved, and the turn to take them (fair: in arrival order). */
    private record Turn(Queue<Ask> waiting, ReentrantLock lock) {
    }

    /**
     * Checks every durable limit and reserves {@code worst}, or throws the refusal. A tenant's requests take turns
     * in this JVM on a fair lock; whoever has the turn takes every request of the tenant waiting by then (at most
     * {@value #MAX_BATCH}) and reserves them one after the other in one transaction under the tenant's advisory
     * lock, each checked against the reservations of those before it, exactly as if each had its own transaction;
     * every request returns once the transaction holding its reservation committed. A busy tenant's requests thus
     * share a commit instead of queueing for one each.
     */
    void reserve(String requestId, UUID tenantId, UUID keyId, String model, List<LimitPolicy> policies,
                 LimitPolicies.Billing billing, WorstCase worst, Instant now, Duration lease) {
        var ask = new Ask(requestId, tenantId, keyId, model, policies, billing, worst, now, lease, new CompletableFuture<>());
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
        ApiException refusal;
        try {
            refusal = ask.answer().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Reserves {@code batch} in one transaction; completes each request's answer once it committed (or failed). */
    private void reserveAll(List<Ask> batch) {
        List<ApiException> refusals = new ArrayList<>(batch.size());
        try {
            transactions.executeWithoutResult(status -> {
                refusals.clear();
                Ask first = batch.getFirst();
                jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?)) AS locked")
                        .param(first.tenantId().getMostSignificantBits() ^ first.tenantId().getLeastSignificantBits())
                        .query(Integer.class).single();
                for (Ask ask : batch) {
                    try {
                        reserveInTurn(ask);
                        refusals.add(null);
                    } catch (ApiException refused) {
                        refusals.add(refused); // checked before anything of it was written: the others go on
                    }
                }
            });
        } catch (RuntimeException e) {
            batch.forEach(ask -> ask.answer().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer().complete(refusals.get(i));
        }
    }

    /** Checks and reserves one request, in the transaction holding its tenant's advisory lock. */
    private void reserveInTurn(Ask ask) {
        UUID tenantId = ask.tenantId();
        Instant now = ask.now();
        WorstCase worst = ask.worst();
        Calendar calendar = jdbc.sql("SELECT tenant_billing_day(?, ?) AS today, tenant_billing_zone(?, ?) AS zone")
                .params(tenantId, Timestamp.from(now), tenantId, Timestamp.from(now))
                .query(Calendar.class).single();
        LocalDate today = calendar.today();
        LocalDate month = today.withDayOfMonth(1);
        for (LimitPolicy policy : ask.policies()) {
            checkTokens(policy, policy.dailyTokens(), "daily", today, today.plusDays(1), calendar, worst, now);
            checkTokens(policy, policy.monthlyTokens(), "monthly", month, month.plusMonths(1), calendar, worst, now);
            checkSpend(policy, month, calendar, worst, now);
        }
        LimitPolicies.Billing billing = ask.billing();
        if (worst.priced() && (billing.prepaid() || billing.creditLimit() != null)) {
            checkBalance(tenantId, billing, worst, today, now);
        }
        jdbc.sql("""
                        INSERT INTO admission_reservation (request_id, tenant_id, api_key_id, model, tokens, currency, amount,
                            reserved_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(ask.requestId(), tenantId, ask.keyId(), ask.model(), worst.tokens(), worst.currency(), worst.amount(),
                        Timestamp.from(now), Timestamp.from(now.plus(ask.lease())))
                .update();
    }

    /**
     * Deletes reservations past their lease (a crashed gateway's). They stopped counting when their
     * lease ended; this only keeps the table small, away from the admissions' critical section.
     */
    @Scheduled(fixedDelay = 60, timeUnit = TimeUnit.SECONDS)
    void sweepExpired() {
        jdbc.sql("DELETE FROM admission_reservation WHERE expires_at <= ?").param(Timestamp.from(Instant.now())).update();
    }

    /**
     * Ends the reservation of {@code requestId}. The usage record's writer calls it in the transaction
     * that counts the request in the ledger, so that its spend is counted once, never zero times; a
     * request that did not run ends it through {@link Admission#release()}. Idempotent.
     */
    public void end(String requestId) {
        jdbc.sql("DELETE FROM admission_reservation WHERE request_id = ?").param(requestId).update();
    }

    /** {@link #end(String)} of every request in {@code requestIds}, in one statement (a batch of usage records). */
    public void end(List<String> requestIds) {
        jdbc.sql("DELETE FROM admission_reservation WHERE request_id = ANY(?)").param(requestIds.toArray(String[]::new)).update();
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
