package io.maas.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.api.openai.Usage;
import io.maas.gateway.admission.DurableReservations;
import io.maas.gateway.metering.Outcome;
import io.maas.gateway.metering.UsageRecord;
import io.maas.gateway.metering.UsageRecorder;
import io.maas.gateway.metering.UsageSpool;
import io.maas.gateway.pricebook.TenantPriceBooks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Statements on the tenant's calendar: requests settled on each side of a Beijing month boundary,
 * a Berlin tenant's month across the DST change, and a change of zone that waits for the next month.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingCalendarIT extends ServiceTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    UsageRecorder recorder;
    String finance;
    String book;

    @BeforeAll
    void recorder() {
        recorder = new UsageRecorder(jdbc, transactions, new TenantPriceBooks(jdbc), new UsageSpool(Path.of("target", "usage-spool")),
                new DurableReservations(jdbc, transactions));
        finance = user("FINANCE", null);
        String book = "calendar-" + UUID.randomUUID().toString().substring(0, 8);
        admin().post("/api/v1/price-books", "{\"template\":\"deepseek-2026\",\"name\":\"" + book + "\"}");
        this.book = book;
    }

    @Test
    void aRequestAtSevenOnDecemberFirstInBeijingIsOnDecembersStatement() {
        UUID tenant = tenantWithKey("beijing");
        settle(tenant, "2026-11-30T15:00:00Z");  // 23:00 on 30 November in Beijing
        settle(tenant, "2026-11-30T23:00:00Z");  // 07:00 on 1 December in Beijing, still 30 November in UTC

        JsonNode november = as(finance).get("/api/v1/tenants/" + tenant + "/statements/2026-11").json();
        JsonNode december = as(finance).get("/api/v1/tenants/" + tenant + "/statements/2026-12").json();

        assertThat(november.get("zone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(november.get("to").asString()).isEqualTo("2026-11-30T16:00:00Z");
        assertThat(november.get("lines").get(0).get("requests").asLong()).isEqualTo(1);
        assertThat(december.get("from").asString()).isEqualTo("2026-11-30T16:00:00Z");
        assertThat(december.get("lines").get(0).get("requests").asLong()).isEqualTo(1);
        assertThat(as(finance).get("/api/v1/statements/2026-12").body()).contains(tenant.toString());
    }

    @Test
    void aBerlinMonthEndsAtItsMidnightInSummerTime() {
        UUID tenant = tenantWithKey("berlin");
        // A tenant without usage yet changes zone at once.
        var changed = admin().put("/api/v1/tenants/" + tenant + "/billing-zone", "{\"zone\":\"Europe/Berlin\"}").json();
        assertThat(changed.get("zone").asString()).isEqualTo("Europe/Berlin");
        settle(tenant, "2026-03-28T23:30:00Z");  // 00:30 CET on 29 March, the day clocks go forward
        settle(tenant, "2026-03-31T21:30:00Z");  // 23:30 CEST on 31 March
        settle(tenant, "2026-03-31T22:30:00Z");  // 00:30 CEST on 1 April

        JsonNode march = as(finance).get("/api/v1/tenants/" + tenant + "/statements/2026-03").json();
        JsonNode april = as(finance).get("/api/v1/tenants/" + tenant + "/statements/2026-04").json();

        assertThat(march.get("zone").asString()).isEqualTo("Europe/Berlin");
        assertThat(march.get("from").asString()).isEqualTo("2026-02-28T23:00:00Z");
        assertThat(march.get("to").asString()).isEqualTo("2026-03-31T22:00:00Z");
        assertThat(march.get("lines").get(0).get("requests").asLong()).isEqualTo(2);
        assertThat(april.get("lines").get(0).get("requests").asLong()).isEqualTo(1);
    }

    @Test
    void aChangeOfZoneWaitsForTheNextMonthAndLeavesThisOnesStatementAsItWas() {
        UUID tenant = tenantWithKey("moving");
        settle(tenant, "2026-10-15T04:00:00Z");
        String before = as(finance).get("/api/v1/tenants/" + tenant + "/statements/2026-10").body();

        var changed = as(finance).put("/api/v1/tenants/" + tenant + "/billing-zone", "{\"zone\":\"Europe/Berlin\"}");
        YearMonth next = YearMonth.now(ZoneId.of("Asia/Shanghai")).plusMonths(1);
        // Next month begins in Beijing first; the change waits until it has begun in Berlin too.
        Instant expected = next.atDay(1).atStartOfDay(ZoneId.of("Europe/Berlin")).toInstant();

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("zone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(changed.json().get("pending").get("zone").asString()).isEqualTo("Europe/Berlin");
        assertThat(Instant.parse(changed.json().get("pending").get("effectiveFrom").asString())).isEqualTo(expected);
        assertThat(as(finance).get("/api/v1/tenants/" + tenant + "/statements/2026-10").body()).isEqualTo(before);
        JsonNode nextStatement = as(finance).get("/api/v1/tenants/" + tenant + "/statements/" + next).json();
        assertThat(nextStatement.get("zone").asString()).isEqualTo("Europe/Berlin");
        // The next month still begins at Beijing's midnight (nothing of it was this month) and runs on in Berlin's time.
        assertThat(nextStatement.get("from").asString()).isEqualTo(next.atDay(1).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant().toString());
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'tenant.billing-zone' AND tenant_id = ?")
                .param(tenant).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void todayAndThisMonthAreTheTenantsInItsZoneAndThePlatformsInThePlatformZone() {
        // a zone whose day now is not UTC's: a day behind before noon UTC, a day ahead after
        ZoneId zone = ZonedDateTime.now(ZoneOffset.UTC).getHour() < 12 ? ZoneId.of("Etc/GMT+12") : ZoneId.of("Pacific/Kiritimati");
        UUID tenant = tenantWithKey("today");
        admin().put("/api/v1/tenants/" + tenant + "/billing-zone", "{\"zone\":\"" + zone.getId() + "\"}");
        settle(tenant, Instant.now().toString());
        String tenantAdmin = user("TENANT_ADMIN", tenant);

        JsonNode own = as(tenantAdmin).get("/api/v1/tenants/" + tenant + "/billing-zone").json();
        JsonNode platform = as(tenantAdmin).get("/api/v1/billing-zone").json();
        JsonNode thisMonth = as(tenantAdmin).get("/api/v1/tenants/" + tenant + "/usage/daily").json();

        assertThat(own.get("zone").asString()).isEqualTo(zone.getId());
        assertThat(own.get("today").asString()).isEqualTo(LocalDate.now(zone).toString());
        assertThat(platform.get("zone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(platform.get("today").asString()).isEqualTo(LocalDate.now(ZoneId.of("Asia/Shanghai")).toString());
        assertThat(thisMonth).singleElement().satisfies(day -> assertThat(day.get("day").asString()).isEqualTo(LocalDate.now(zone).toString()));
    }

    @Test
    void anUnknownZoneIsABadRequestAndTenantRolesMayNotChangeIt() {
        UUID tenant = tenantWithKey("zones");
        var unknown = admin().put("/api/v1/tenants/" + tenant + "/billing-zone", "{\"zone\":\"Mars/Olympus\"}");
        var tenantAdmin = as(user("TENANT_ADMIN", tenant)).put("/api/v1/tenants/" + tenant + "/billing-zone", "{\"zone\":\"UTC\"}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("Mars/Olympus", "\"field\":\"zone\"");
        assertThat(tenantAdmin.status()).isEqualTo(403);
    }

    private UUID tenantWithKey(String prefix) {
        UUID tenant = tenant(prefix);
        admin().put("/api/v1/tenants/" + tenant + "/price-book", "{\"priceBook\":\"" + book + "\"}");
        // Revoked: the ledger does not need a live key, and a live one would make other tests' shared deployments unpriced for it.
        jdbc.sql("INSERT INTO api_key (id, tenant_id, name, prefix, secret_hash, revoked_at) VALUES (?, ?, 'k', 'sk-cal', ?, now())")
                .params(tenant, tenant, ApiKeySecret.hash(ApiKeySecret.generate())).update();
        return tenant;
    }

    /** A request of the tenant (key id = tenant id) completed at {@code at}. */
    private void settle(UUID tenant, String at) {
        Instant completed = Instant.parse(at);
        recorder.record(new UsageRecord(UUID.randomUUID().toString(), tenant, tenant, "deepseek-flash", URI.create("http://engine"), false,
                Usage.of(100, 200, 300, 0), completed.minusSeconds(2), completed, Outcome.COMPLETED));
    }
}
