package io.maas.tenant.tenant;

import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The time zone each tenant bills in (schema: {@code billing_zone_change}, {@code tenant_billing_day}):
 * its days and months cut its roll-ups, statements, budgets and spend limits. A new tenant takes the
 * platform's zone ({@code platform.billing.default-zone}, Asia/Shanghai unless configured). A change
 * takes effect at the next month boundary, once the current month has ended in both the old zone and
 * the new one, so no month is cut in two zones' overlap and a past statement never changes; a tenant
 * without usage or credits yet changes at once.
 */
@Service
public class BillingZones {

    /**
     * A tenant's zone now, its day in that zone now (what "today" and "this month" mean for its usage, limits and
     * statements), and the change waiting for the next month boundary, if any.
     */
    public record BillingZone(String zone, LocalDate today, Pending pending) {

        public record Pending(String zone, Instant effectiveFrom) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(BillingZones.class);

    private final JdbcClient jdbc;
    private final Tenants tenants;
    private final AuditLog audit;
    private final Clock clock;
    private final String platformZone;

    BillingZones(JdbcClient jdbc, Tenants tenants, AuditLog audit, Clock clock,
                 @Value("${platform.billing.default-zone:Asia/Shanghai}") String platformZone) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
        this.platformZone = platformZone;
    }

    /** Makes the configured zone the one new tenants start in; existing tenants keep theirs. */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void usePlatformZone() {
        String zone = known(platformZone, "platform.billing.default-zone");
        if (jdbc.sql("UPDATE platform_billing SET default_zone = ? WHERE default_zone <> ?").params(zone, zone).update() > 0) {
            log.info("New tenants bill in {} (platform.billing.default-zone); existing tenants keep their zones", zone);
        }
    }

    @Transactional(readOnly = true)
    public BillingZone of(UUID tenantId) {
        tenants.visible(tenantId);
        Timestamp now = Timestamp.from(clock.instant());
        record Now(String zone, LocalDate today) {
        }
        // both from the schema's rule, in PostgreSQL's time zone data, as the roll-up cuts the day
        Now current = jdbc.sql("SELECT tenant_billing_zone(?, ?), tenant_billing_day(?, ?)").params(tenantId, now, tenantId, now)
                .query((rs, n) -> new Now(rs.getString(1), rs.getObject(2, LocalDate.class))).single();
        BillingZone.Pending pending = jdbc.sql("""
                        SELECT zone, effective_from FROM billing_zone_change
                        WHERE tenant_id = ? AND effective_from > ? ORDER BY effective_from LIMIT 1""")
                .params(tenantId, now)
                .query((rs, n) -> new BillingZone.Pending(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .optional().orElse(null);
        return new BillingZone(current.zone(), current.today(), pending);
    }

    /** The zone new tenants bill in, and the day in it now: the platform's "today" for views over every tenant. */
    @Transactional(readOnly = true)
    public BillingZone platform() {
        return jdbc.sql("SELECT default_zone, (?::timestamptz AT TIME ZONE default_zone)::date FROM platform_billing")
                .param(Timestamp.from(clock.instant()))
                .query((rs, n) -> new BillingZone(rs.getString(1), rs.getObject(2, LocalDate.class), null)).single();
    }

    /** Schedules {@code zone} for the tenant's next month (replacing a change not yet in effect). */
    @Transactional
    public BillingZone change(UUID tenantId, String zone) {
        Caller caller = CurrentCaller.get();
        caller.requireTenant(tenantId);
        caller.require(Role.PLATFORM_ADMIN, Role.FINANCE);
        String next = known(zone, "zone");
        BillingZone before = of(tenantId);
        Instant now = clock.instant();
        jdbc.sql("SELECT id FROM tenant WHERE id = ? FOR UPDATE").param(tenantId).query(UUID.class).single();
        jdbc.sql("DELETE FROM billing_zone_change WHERE tenant_id = ? AND effective_from > ?").params(tenantId, Timestamp.from(now)).update();
        boolean unused = jdbc.sql("""
                        SELECT NOT EXISTS (SELECT 1 FROM usage_daily WHERE tenant_id = ?)
                           AND NOT EXISTS (SELECT 1 FROM balance_credit WHERE tenant_id = ?)""")
                .params(tenantId, tenantId).query(Boolean.class).single();
        if (unused) {
            jdbc.sql("DELETE FROM billing_zone_change WHERE tenant_id = ?").param(tenantId).update();
            jdbc.sql("INSERT INTO billing_zone_change (tenant_id, effective_from, zone, created_by) VALUES (?, '-infinity', ?, ?)")
                    .params(tenantId, next, caller.username()).update();
        } else if (!next.equals(before.zone())) {
            LocalDate nextMonth = jdbc.sql("SELECT tenant_billing_day(?, ?)").params(tenantId, Timestamp.from(now))
                    .query(LocalDate.class).single().withDayOfMonth(1).plusMonths(1);
            Instant oldEnds = nextMonth.atStartOfDay(ZoneId.of(before.zone())).toInstant();
            Instant newStarts = nextMonth.atStartOfDay(ZoneId.of(next)).toInstant();
            jdbc.sql("INSERT INTO billing_zone_change (tenant_id, effective_from, zone, created_by) VALUES (?, ?, ?, ?)")
                    .params(tenantId, Timestamp.from(oldEnds.isAfter(newStarts) ? oldEnds : newStarts), next, caller.username()).update();
        }
        BillingZone after = of(tenantId);
        audit.record("tenant.billing-zone", tenantId, "tenant/" + tenantId + "/billing-zone", before, after);
        return after;
    }

    /** {@code zone} as a region id both Java and PostgreSQL know, or a 400 naming {@code field}. */
    private String known(String zone, String field) {
        String id;
        try {
            id = ZoneId.of(zone).getId();
        } catch (DateTimeException | NullPointerException e) {
            throw ApiException.invalid(HttpStatus.BAD_REQUEST, field, "'" + zone + "' is not a time zone; use a region id such as"
                    + " Asia/Shanghai or Europe/Berlin.");
        }
        boolean postgres = jdbc.sql("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ?)").param(id).query(Boolean.class).single();
        if (!postgres) {
            throw ApiException.invalid(HttpStatus.BAD_REQUEST, field, "'" + zone + "' is not a time zone the database knows; use a region id"
                    + " such as Asia/Shanghai or Europe/Berlin.");
        }
        return id;
    }
}
