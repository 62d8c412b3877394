package io.maas.tenant.billing;

import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.Tenants;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Grants and top-ups: append-only credits to a tenant's balance, and the balance itself. A grant
 * may expire: it is spendable through the end of its {@code expiresOn} day (the tenant's calendar day) and what is left
 * of it then is forfeited. Charges are paid from grants first (the one expiring first first), then
 * from topped-up money. The rule is the schema's {@code tenant_balance} function, the same one the
 * gateway's {@code GET /user/balance} uses. Nothing here is updated or deleted: a mistake is
 * corrected by a new entry.
 *
 * <p>Who: credits are written by {@code PLATFORM_ADMIN} and {@code FINANCE}; read by them and by the
 * tenant's {@code TENANT_ADMIN} and {@code TENANT_FINANCE}.
 */
@Service
class Credits {

    enum Kind { GRANT, TOP_UP }

    record Credit(UUID id, Kind kind, String currency, String amount, LocalDate expiresOn, String note, String createdBy,
                  Instant createdAt) {
    }

    /** Exact amounts; {@code total = granted + toppedUp}. */
    record BalanceLine(String currency, BigDecimal granted, BigDecimal toppedUp) {
        BigDecimal total() {
            return granted.add(toppedUp);
        }
    }

    private final JdbcClient jdbc;
    private final Tenants tenants;
    private final AuditLog audit;
    private final Clock clock;

    Credits(JdbcClient jdbc, Tenants tenants, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    Credit add(UUID tenantId, Kind kind, String currency, BigDecimal amount, LocalDate expiresOn, String note) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN, Role.FINANCE);
        tenants.visible(tenantId);
        if (kind == Kind.TOP_UP && expiresOn != null) {
            throw ApiException.badRequest("A top-up does not expire; leave expiresOn out (only grants expire).");
        }
        Instant now = clock.instant();
        if (expiresOn != null) {
            String zone = jdbc.sql("SELECT tenant_billing_zone(?, ?)").params(tenantId, Timestamp.from(now)).query(String.class).single();
            if (expiresOn.isBefore(LocalDate.ofInstant(now, ZoneId.of(zone)))) {
                throw ApiException.badRequest("expiresOn " + expiresOn + " is in the past; a grant is spendable through the end of that"
                        + " day in the tenant's billing zone (" + zone + ").");
            }
        }
        var credit = new Credit(UUID.randomUUID(), kind, currency, amount.toPlainString(), expiresOn, note, caller.username(), now);
        jdbc.sql("""
                        INSERT INTO balance_credit (id, tenant_id, kind, currency, amount, expires_on, note, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(credit.id(), tenantId, kind.name(), currency, amount, expiresOn == null ? null : Date.valueOf(expiresOn),
                        note, caller.username(), Timestamp.from(now))
                .update();
        audit.record(kind == Kind.GRANT ? "balance.grant" : "balance.top-up", tenantId, "balance-credit/" + credit.id(), null, credit);
        return credit;
    }

    @Transactional(readOnly = true)
    List<Credit> list(UUID tenantId, Instant from, Instant to) {
        requireReader(tenantId);
        return jdbc.sql("""
                        SELECT id, kind, currency, amount, expires_on, note, created_by, created_at FROM balance_credit
                        WHERE tenant_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at""")
                .params(tenantId, Timestamp.from(from), Timestamp.from(to))
                .query((rs, n) -> new Credit(rs.getObject(1, UUID.class), Kind.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getBigDecimal(4).toPlainString(), rs.getObject(5, LocalDate.class), rs.getString(6), rs.getString(7),
                        rs.getTimestamp(8).toInstant()))
                .list();
    }

    /** The balance per currency now: the schema's one rule ({@code tenant_balances}), shared with the gateway. */
    @Transactional(readOnly = true)
    List<BalanceLine> balance(UUID tenantId) {
        requireReader(tenantId);
        Date today = jdbc.sql("SELECT tenant_billing_day(?, ?)").params(tenantId, Timestamp.from(clock.instant())).query(Date.class).single();
        return jdbc.sql("SELECT currency, granted, topped_up FROM tenant_balances(?, ?)")
                .params(tenantId, today).query(BalanceLine.class).list();
    }

    /** Platform roles and the tenant's admin and finance people; 404 across tenants. */
    void requireReader(UUID tenantId) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE);
        tenants.visible(tenantId);
    }
}
