package io.maas.console.usage;

import io.maas.console.system.BillingDays;
import io.maas.console.system.ChartData;
import io.maas.console.system.ConsoleUser;
import io.maas.console.system.ApiProblem;
import io.maas.console.system.Formats;
import io.maas.console.system.GatewayApi;
import io.maas.api.tenant.Role;
import io.maas.console.system.TenantApi;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * A limit in force and its use now, formatted for the viewer; {@code model} null for a limit on
     * every model; {@code used} null for a per-minute limit when the gateway cannot be asked.
     */
    record LimitUse(String name, String model, String limit, String used, Double share) {
    }

    private static final ParameterizedTypeReference<List<Day>> DAYS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Balance>> BALANCES = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final GatewayApi gateway;
    private final BillingDays billingDays;
    private final ChartData chart;
    private final Formats formats;

    UsageController(TenantApi api, GatewayApi gateway, BillingDays billingDays, ChartData chart, Formats formats) {
        this.api = api;
        this.gateway = gateway;
        this.billingDays = billingDays;
        this.chart = chart;
        this.formats = formats;
    }

    @GetMapping
    ModelAndView usage(@RequestParam(required = false) @DateTimeFormat(pattern = "yyyy-MM") YearMonth month) {
        ConsoleUser me = TenantApi.current();
        BillingDays.Today now = billingDays.of(me.tenantId());
        YearMonth current = now.month();
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
        view.addObject("zone", now.zone());
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
            addLimits(view, me, now.today(), shown.equals(current) ? days : days(me.tenantId(), current));
        }
        return view;
    }

    /** The limits card alone, which the page asks for again every few seconds: the per-minute counts move. */
    @GetMapping("/limits")
    ModelAndView limits() {
        ConsoleUser me = TenantApi.current();
        if (!me.is(Role.TENANT_ADMIN, Role.TENANT_FINANCE)) {
            throw new ApiProblem(404, "no limits for this role", Map.of());
        }
        ModelAndView view = new ModelAndView("usage/usage :: limits");
        BillingDays.Today now = billingDays.of(me.tenantId());
        addLimits(view, me, now.today(), days(me.tenantId(), now.month()));
        return view;
    }

    private void addLimits(ModelAndView view, ConsoleUser me, LocalDate today, List<Day> thisMonth) {
        Optional<GatewayApi.LimitUse> perMinute = gateway.limitUse(me.tenantId());
        view.addObject("limits", limitUses(api.get(Limits.class, "/api/v1/tenants/{id}/limits", me.tenantId()), today, thisMonth,
                perMinute));
        view.addObject("perMinuteSeen", perMinute.isPresent());
        view.addObject("windowEndsAt", perMinute.map(GatewayApi.LimitUse::windowEndsAt).orElse(null));
    }

    private List<Day> days(UUID tenant, YearMonth month) {
        return api.get(DAYS, "/api/v1/tenants/{id}/usage/daily?from={from}&to={to}", tenant, month.atDay(1), month.atEndOfMonth());
    }

    /**
     * The limits in force and their use: the per-minute ones as the gateway counts them now (and its
     * per-model ones), tokens today and this month, spend this month (the tenant's days, as the gateway counts).
     */
    private List<LimitUse> limitUses(Limits limits, LocalDate today, List<Day> thisMonth, Optional<GatewayApi.LimitUse> perMinute) {
        long tokensToday = thisMonth.stream().filter(d -> d.day().equals(today))
                .mapToLong(d -> d.cacheHitTokens() + d.cacheMissTokens() + d.outputTokens()).sum();
        long tokensMonth = thisMonth.stream().mapToLong(d -> d.cacheHitTokens() + d.cacheMissTokens() + d.outputTokens()).sum();
        List<LimitUse> uses = new ArrayList<>();
        GatewayApi.PolicyUse all = perMinute.flatMap(p -> p.policies().stream().filter(u -> u.model() == null).findFirst()).orElse(null);
        perMinute(uses, "limit.requests-per-minute", null, limits.requestsPerMinute(), all == null ? null : all.requestsPerMinute());
        perMinute(uses, "limit.tokens-per-minute", null, limits.tokensPerMinute(), all == null ? null : all.tokensPerMinute());
        perMinute(uses, "limit.max-concurrent-requests", null, limits.maxConcurrentRequests(), all == null ? null : all.concurrentRequests());
        perMinute.ifPresent(p -> p.policies().stream().filter(u -> u.model() != null).forEach(u -> {
            perMinute(uses, "limit.requests-per-minute", u.model(), u.requestsPerMinute().limit(), u.requestsPerMinute());
            perMinute(uses, "limit.tokens-per-minute", u.model(), u.tokensPerMinute().limit(), u.tokensPerMinute());
            if (u.concurrentRequests() != null) {
                perMinute(uses, "limit.max-concurrent-requests", u.model(), u.concurrentRequests().limit(), u.concurrentRequests());
            }
        }));
        if (limits.dailyTokens() != null) {
            uses.add(new LimitUse("limit.daily-tokens", null, formats.number(limits.dailyTokens()), formats.number(tokensToday),
                    share(tokensToday, limits.dailyTokens())));
        }
        if (limits.monthlyTokens() != null) {
            uses.add(new LimitUse("limit.monthly-tokens", null, formats.number(limits.monthlyTokens()), formats.number(tokensMonth),
                    share(tokensMonth, limits.monthlyTokens())));
        }
        if (limits.monthlySpendLimit() != null) {
            Money limit = limits.monthlySpendLimit();
            BigDecimal spent = thisMonth.stream().filter(d -> d.currency().equals(limit.currency()))
                    .map(d -> new BigDecimal(d.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            uses.add(new LimitUse("limit.monthly-spend", null, formats.money(limit.amount().toPlainString(), limit.currency()),
                    formats.money2(spent.toPlainString(), limit.currency()),
                    limit.amount().signum() == 0 ? 1.0 : Math.min(1.0, spent.doubleValue() / limit.amount().doubleValue())));
        }
        return uses;
    }

    /** A per-minute limit; {@code use} null when the gateway cannot say (the limit is still shown). */
    private void perMinute(List<LimitUse> uses, String name, String model, Long limit, GatewayApi.Use use) {
        if (limit != null) {
            uses.add(new LimitUse(name, model, formats.number(limit), use == null ? null : formats.number(use.used()),
                    use == null ? null : share(use.used(), limit)));
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
