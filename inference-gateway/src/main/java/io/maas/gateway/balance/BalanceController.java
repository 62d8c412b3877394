package io.maas.gateway.balance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.maas.api.tenant.BillingMode;
import io.maas.gateway.auth.CallerKey;
import io.maas.pricing.StatementRounding;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * DeepSeek's {@code GET /user/balance} for the tenant of the calling API key. The balance is the
 * schema's one rule ({@code tenant_balances}: grants spent before top-ups, expired grants forfeited),
 * over append-only credits and the ledger's daily roll-up, so it includes the request settled a
 * moment ago. Amounts are shown rounded half-even to 0.01 ({@link StatementRounding}), as on a
 * statement. {@code is_available}: a prepaid tenant has money left; a postpaid one has not used
 * up its credit limit (no limit: always).
 */
@RestController
class BalanceController {

    record BalanceInfo(String currency,
                       @JsonProperty("total_balance") String totalBalance,
                       @JsonProperty("granted_balance") String grantedBalance,
                       @JsonProperty("topped_up_balance") String toppedUpBalance) {
    }

    record Balance(@JsonProperty("is_available") boolean isAvailable,
                   @JsonProperty("balance_infos") List<BalanceInfo> balanceInfos) {
    }

    private record Billing(BillingMode billingMode, BigDecimal creditLimit) {
    }

    private record Amounts(String currency, BigDecimal granted, BigDecimal toppedUp) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    BalanceController(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/user/balance")
    Balance balance(CallerKey caller) {
        Billing billing = jdbc.sql("SELECT billing_mode, credit_limit FROM tenant WHERE id = ?")
                .param(caller.tenantId())
                .query((rs, row) -> new Billing(BillingMode.valueOf(rs.getString(1)), rs.getBigDecimal(2))).single();
        Date today = jdbc.sql("SELECT tenant_billing_day(?, ?)")
                .params(caller.tenantId(), Timestamp.from(clock.instant())).query(Date.class).single();
        List<Amounts> balances = jdbc.sql("SELECT currency, granted, topped_up FROM tenant_balances(?, ?)")
                .params(caller.tenantId(), today).query(Amounts.class).list();
        List<BalanceInfo> infos = new ArrayList<>();
        boolean available = false;
        for (Amounts amounts : balances) {
            BigDecimal total = amounts.granted().add(amounts.toppedUp());
            available |= billing.billingMode() == BillingMode.PREPAID
                    ? total.signum() > 0
                    : billing.creditLimit() == null || total.add(billing.creditLimit()).signum() > 0;
            infos.add(new BalanceInfo(amounts.currency(), plain(total), plain(amounts.granted()), plain(amounts.toppedUp())));
        }
        return new Balance(available, infos);
    }

    private static String plain(BigDecimal amount) {
        return StatementRounding.round(amount).toPlainString();
    }
}
