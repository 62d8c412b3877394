package io.maas.console.usage;

import io.maas.console.system.ChartData;
import io.maas.console.system.ConsoleUser;
import io.maas.console.system.Formats;
import io.maas.api.tenant.Role;
import io.maas.console.system.TenantApi;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * A tenant's usage of one month (UTC days, from the daily roll-up): tokens per day by model, the
 * cache-hit share, spend per day by tier; and, for the roles that may read them, the balance and
 * the limits in force with how much of each is used.
 */
@Controller
@RequestMapping("/usage")
class UsageController {

    record Day(LocalDate day, String model, String tier, String currency, long requests, long cacheHitTokens, long cacheMissTokens,
               long outputTokens, String amount) {
    }

    record Balance(String currency, String totalBalance, String grantedBalance, String toppedUpBalance) {
    }

    record Money(BigDecimal amount, String currency) {
    }

    record Limits(Long requestsPerMinute, Long tokensPerMinute, Long maxConcurrentRequests, Long dailyTokens, Long monthlyTokens,
                  Money monthlySpendLimit) {
    }

    /** A model's tokens of the month: prompt from cache, prompt computed, completion. */
    record ModelTotal(String model, long requests, long cacheHit, long cacheMiss, long output) {
        public double cacheShare() {
            return cacheHit + cacheMiss == 0 ? 0 : (double) cacheHit / (cacheHit + cacheMiss);
        }
    }

    /**
     * A limit in force and its use now, formatted for the viewer; {@code used} null for the
     * per-minute limits, which the gateway counts and the roll-up cannot show.
     */
    record LimitUse(String name, String limit, String used, Double share) {
    }

    private static final ParameterizedTypeReference<List<Day>> DAYS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Balance>> BALANCES = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final ChartData chart;
    private final Formats formats;

    UsageController(TenantApi api, ChartData chart, Formats formats) {
        this.api = api;
        this.chart = chart;
        this.formats = formats;
    }

    @GetMapping
    ModelAndView usage(@RequestParam(required = false) @DateTimeFormat(pattern = "yyyy-MM") YearMonth month) {
        ConsoleUser me = TenantApi.current();
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        YearMonth shown = month == null ? current : month;
        List<Day> days = days(me.tenantId(), shown);

        List<LocalDate> dates = new ArrayList<>();
        for (LocalDate d = shown.atDay(1); !d.isAfter(shown.atEndOfMonth()); d = d.plusDays(1)) {
            dates.add(d);
        }
        Map<String, long[]> tokensByModel = new TreeMap<>();
        Map<String, ModelTotal> totals = new TreeMap<>();
        String currency = days.stream().map(Day::currency).filter(c -> !"XXX".equals(c)).findFirst().orElse(null);
        Map<String, BigDecimal[]> spendByTier = new TreeMap<>();
        for (Day d : days) {
            int i = d.day().getDayOfMonth() - 1;
            tokensByModel.computeIfAbsent(d.model(), m -> new long[dates.size()])[i] += d.cacheHitTokens() + d.cacheMissTokens() + d.outputTokens();
            totals.merge(d.model(), new ModelTotal(d.model(), d.requests(), d.cacheHitTokens(), d.cacheMissTokens(), d.outputTokens()),
                    (a, b) -> new ModelTotal(a.model(), a.requests() + b.requests(), a.cacheHit() + b.cacheHit(),
                            a.cacheMiss() + b.cacheMiss(), a.output() + b.output()));
            if (d.currency().equals(currency)) {
                BigDecimal[] spend = spendByTier.computeIfAbsent(d.tier(), t -> zeros(dates.size()));
                spend[i] = spend[i].add(new BigDecimal(d.amount()));
            }
        }
        long hit = totals.values().stream().mapToLong(ModelTotal::cacheHit).sum();
        long miss = totals.values().stream().mapToLong(ModelTotal::cacheMiss).sum();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("days", dates.stream().map(d -> String.valueOf(d.getDayOfMonth())).toList());
        data.put("tokensByModel", tokensByModel);
        Map<String, List<BigDecimal>> spend = new LinkedHashMap<>();
        spendByTier.forEach((tier, values) -> spend.put(tier, java.util.Arrays.stream(values).map(v -> v.setScale(4, java.math.RoundingMode.HALF_EVEN)).toList()));
        data.put("spendByTier", spend);
        data.put("currency", currency);

        ModelAndView view = new ModelAndView("usage/usage");
        view.addObject("month", shown);
        view.addObject("previousMonth", shown.minusMonths(1));
        view.addObject("nextMonth", shown.plusMonths(1));
        view.addObject("empty", days.isEmpty());
        view.addObject("totals", totals.values());
        view.addObject("cacheShare", hit + miss == 0 ? 0.0 : (double) hit / (hit + miss));
        view.addObject("currency", currency);
        view.addObject("monthSpend", spendByTier.values().stream().flatMap(java.util.Arrays::stream)
                .reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString());
        view.addObject("chartJson", chart.of(data));
        if (me.is(Role.TENANT_ADMIN, Role.TENANT_FINANCE)) {
            view.addObject("balances", api.get(BALANCES, "/api/v1/tenants/{id}/balance", me.tenantId()));
            List<Day> thisMonth = shown.equals(current) ? days : days(me.tenantId(), current);
            view.addObject("limits", limitUses(api.get(Limits.class, "/api/v1/tenants/{id}/limits", me.tenantId()), thisMonth));
        }
        return view;
    }

    private List<Day> days(UUID tenant, YearMonth month) {
        return api.get(DAYS, "/api/v1/tenants/{id}/usage/daily?from={from}&to={to}", tenant, month.atDay(1), month.atEndOfMonth());
    }

    /** The limits in force and their use: tokens today and this month, spend this month (UTC, as the gateway counts). */
    private List<LimitUse> limitUses(Limits limits, List<Day> thisMonth) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long tokensToday = thisMonth.stream().filter(d -> d.day().equals(today))
                .mapToLong(d -> d.cacheHitTokens() + d.cacheMissTokens() + d.outputTokens()).sum();
        long tokensMonth = thisMonth.stream().mapToLong(d -> d.cacheHitTokens() + d.cacheMissTokens() + d.outputTokens()).sum();
        List<LimitUse> uses = new ArrayList<>();
        perMinute(uses, "limit.requests-per-minute", limits.requestsPerMinute());
        perMinute(uses, "limit.tokens-per-minute", limits.tokensPerMinute());
        perMinute(uses, "limit.max-concurrent-requests", limits.maxConcurrentRequests());
        if (limits.dailyTokens() != null) {
            uses.add(new LimitUse("limit.daily-tokens", formats.number(limits.dailyTokens()), formats.number(tokensToday),
                    share(tokensToday, limits.dailyTokens())));
        }
        if (limits.monthlyTokens() != null) {
            uses.add(new LimitUse("limit.monthly-tokens", formats.number(limits.monthlyTokens()), formats.number(tokensMonth),
                    share(tokensMonth, limits.monthlyTokens())));
        }
        if (limits.monthlySpendLimit() != null) {
            Money limit = limits.monthlySpendLimit();
            BigDecimal spent = thisMonth.stream().filter(d -> d.currency().equals(limit.currency()))
                    .map(d -> new BigDecimal(d.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            uses.add(new LimitUse("limit.monthly-spend", formats.money(limit.amount().toPlainString(), limit.currency()),
                    formats.money2(spent.toPlainString(), limit.currency()),
                    limit.amount().signum() == 0 ? 1.0 : Math.min(1.0, spent.doubleValue() / limit.amount().doubleValue())));
        }
        return uses;
    }

    private void perMinute(List<LimitUse> uses, String name, Long limit) {
        if (limit != null) {
            uses.add(new LimitUse(name, formats.number(limit), null, null));
        }
    }

    private static Double share(long used, long limit) {
        return limit == 0 ? 1.0 : Math.min(1.0, (double) used / limit);
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] values = new BigDecimal[n];
        java.util.Arrays.fill(values, BigDecimal.ZERO);
        return values;
    }
}
