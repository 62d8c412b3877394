package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.keys.ApiKeySecret;
import io.maas.pricing.Currency;
import io.maas.pricing.ModelPrices;
import io.maas.pricing.PriceBookVersion;
import io.maas.pricing.PricingJson;
import io.maas.pricing.Tier;
import io.maas.pricing.TierPricing;
import io.maas.pricing.TierSchedule;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tenant's calendar at the gateway, on a clock the test sets: a request on each side of a
 * Beijing month boundary (2026-12-01 00:00 Beijing = 2026-11-30 16:00 UTC) lands in its Beijing day's
 * roll-up and counts against that month's token budget and spend limit; a Berlin tenant's days
 * follow the wall clock across the spring DST change.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillingCalendarIT {

    private static final ScriptedEngine engine = ScriptedEngine.started();
    private static final UUID BOOK = UUID.randomUUID();
    private static final Instant BEIJING_NOV_30_2300 = Instant.parse("2026-11-30T15:00:00Z");
    private static final Instant BEIJING_NOV_30_2359 = Instant.parse("2026-11-30T15:59:00Z");
    private static final Instant BEIJING_DEC_01_0700 = Instant.parse("2026-11-30T23:00:00Z");

    /** More than the gateway trusts a cached limit policy (platform.gateway.admission.policy-cache-ttl). */
    private static final Duration POLICY_CACHE_TTL = Duration.ofSeconds(3);
    private static final TestClock clock = new TestClock(Instant.now());
    private final GatewayCalls calls = new GatewayCalls();

    @LocalServerPort
    int port;

    @TestConfiguration
    static class ClockConfiguration {
        @Bean
        @Primary
        Clock settableClock() {
            return clock;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestRows.useTestDatabase(registry);
        registry.add("platform.gateway.models[0].name", () -> "scripted");
        registry.add("platform.gateway.models[0].endpoints[0]", () -> engine.uri().toString());
    }

    @BeforeAll
    static void book() throws SQLException {
        var schedule = new TierSchedule(ZoneOffset.UTC, "standard", null,
                List.of(new Tier("standard", List.of(), TierPricing.multiplier(BigDecimal.ONE), Map.of())), null);
        var prices = new ModelPrices(new BigDecimal("1"), new BigDecimal("1"), new BigDecimal("1"), Currency.CNY);
        TestRows.execute("INSERT INTO price_book (id, name) VALUES (?, ?)", BOOK, "calendar-" + BOOK);
        TestRows.execute("INSERT INTO price_book_version (book_id, seq, version, effective_from, document) VALUES (?, 1, 'v1', ?, ?::jsonb)",
                BOOK, Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")),
                PricingJson.write(new PriceBookVersion("v1", Instant.parse("2020-01-01T00:00:00Z"), Map.of("scripted", prices), schedule)));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void aRequestAtSevenOnDecemberFirstInBeijingIsDecembersRollUpAndBudget() throws SQLException {
        var tenant = new Tenant("beijing-tokens");
        clock.set(BEIJING_NOV_30_2300);
        assertThat(tenant.chat().statusCode()).isEqualTo(200);
        long worst = worstTokens(tenant);
        // November's budget has room for a request's worst case, less what the first request used.
        TestRows.execute("INSERT INTO limit_policy (tenant_id, monthly_tokens) VALUES (?, ?)", tenant.id, worst);

        clock.set(BEIJING_NOV_30_2359);
        var november = tenant.chat();
        clock.set(BEIJING_DEC_01_0700);
        var december = tenant.chat();

        assertThat(november.statusCode()).isEqualTo(429);
        assertThat(november.body()).contains("monthly token budget", "this month (Asia/Shanghai)", "2026-12-01 00:00 Asia/Shanghai");
        assertThat(december.statusCode()).as(december.body()).isEqualTo(200);
        assertThat(tenant.days()).containsExactly("2026-11-30 1", "2026-12-01 1");
    }

    @Test
    void theMonthlySpendLimitStartsAfreshAtBeijingMidnight() throws SQLException {
        var tenant = new Tenant("beijing-spend");
        clock.set(BEIJING_NOV_30_2300);
        assertThat(tenant.chat().statusCode()).isEqualTo(200);
        BigDecimal spent = new BigDecimal(TestRows.one("SELECT sum(amount) AS a FROM usage_daily WHERE tenant_id = ?", tenant.id).get("a"));
        // The worst case of a request at these prices is its worst-case tokens per million.
        BigDecimal worst = BigDecimal.valueOf(worstTokens(tenant)).movePointLeft(6);
        TestRows.execute("INSERT INTO limit_policy (tenant_id, monthly_spend_limit, monthly_spend_currency) VALUES (?, ?, 'CNY')",
                tenant.id, worst.add(spent).subtract(new BigDecimal("0.000001")));

        clock.set(BEIJING_NOV_30_2359);
        var november = tenant.chat();
        clock.set(BEIJING_DEC_01_0700);
        var december = tenant.chat();

        assertThat(november.statusCode()).isEqualTo(429);
        assertThat(november.body()).contains("monthly spend limit", "this month (Asia/Shanghai)");
        assertThat(december.statusCode()).as(december.body()).isEqualTo(200);
        assertThat(tenant.days()).containsExactly("2026-11-30 1", "2026-12-01 1");
    }

    @Test
    void aBerlinTenantsDaysFollowItsWallClockAcrossTheSpringDstChange() throws SQLException {
        var tenant = new Tenant("berlin");
        TestRows.execute("UPDATE billing_zone_change SET zone = 'Europe/Berlin' WHERE tenant_id = ?", tenant.id);
        // 2026-03-29: 00:30 CET, 23:30 CEST (a 23-hour day); then 00:30 CEST on the 30th.
        for (String at : List.of("2026-03-28T23:30:00Z", "2026-03-29T21:30:00Z", "2026-03-29T22:30:00Z")) {
            clock.set(Instant.parse(at));
            assertThat(tenant.chat().statusCode()).isEqualTo(200);
        }

        assertThat(tenant.days()).containsExactly("2026-03-29 2", "2026-03-30 1");
    }

    /** The worst case of the test's request in tokens, as the gateway's refusal of a zero budget tells it. */
    private long worstTokens(Tenant tenant) throws SQLException {
        TestRows.execute("INSERT INTO limit_policy (tenant_id, daily_tokens) VALUES (?, 0)", tenant.id);
        clock.set(clock.instant().plus(POLICY_CACHE_TTL));
        var refused = tenant.chat();
        TestRows.execute("DELETE FROM limit_policy WHERE tenant_id = ?", tenant.id);
        clock.set(clock.instant().plus(POLICY_CACHE_TTL));
        Matcher need = Pattern.compile("may need up to (\\d+)").matcher(refused.body());
        assertThat(need.find()).as(refused.body()).isTrue();
        return Long.parseLong(need.group(1));
    }

    /** A tenant with its own key and the test's book, in the platform's zone. */
    private final class Tenant {
        final UUID id = UUID.randomUUID();
        final String key = ApiKeySecret.generate();

        Tenant(String name) throws SQLException {
            TestRows.execute("INSERT INTO tenant (id, name, price_book_id) VALUES (?, ?, ?)", id, name + "-" + id, BOOK);
            TestRows.key(UUID.randomUUID(), id, key);
        }

        HttpResponse<String> chat() {
            return calls.send(port, "POST", "/v1/chat/completions", key,
                    "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}],\"max_tokens\":16}");
        }

        List<String> days() throws SQLException {
            String days = TestRows.one("SELECT string_agg(day || ' ' || requests, ',' ORDER BY day) AS d FROM usage_daily WHERE tenant_id = ?", id)
                    .get("d");
            return List.of(days.split(","));
        }
    }
}
