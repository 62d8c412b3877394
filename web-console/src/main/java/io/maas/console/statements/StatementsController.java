package io.maas.console.statements;

import io.maas.console.system.BillingDays;
import io.maas.console.system.ConsoleUser;
import io.maas.console.system.TenantApi;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * Monthly statements (each tenant's months, in its billing zone; without a month asked for, the tenant's month
 * now, or the platform's for platform roles): lines per model, tier and token class with exact amounts, the
 * rounded totals, and the CSV as tenant-service writes it. Platform roles see revenue by tenant and
 * open any tenant's statement; tenant roles their own (another tenant's is a 404).
 */
@Controller
@RequestMapping("/statements")
class StatementsController {

    record Line(String model, String tier, String tokenClass, String currency, long requests, long tokens, String amount) {
    }

    record Credit(UUID id, String kind, String currency, String amount, java.time.LocalDate expiresOn, String note,
                  String createdBy, Instant createdAt) {
    }

    record Total(String currency, String usageExact, String usage, String grants, String topUps) {
    }

    record Statement(UUID tenantId, String tenantName, YearMonth month, Instant from, Instant to, List<Line> lines,
                     List<Credit> credits, List<Total> totals, String rounding) {
    }

    record TenantTotal(UUID tenantId, String tenantName, String currency, long requests, String usageExact, String usage) {
    }

    private static final ParameterizedTypeReference<List<TenantTotal>> REVENUE = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final BillingDays billingDays;

    StatementsController(TenantApi api, BillingDays billingDays) {
        this.api = api;
        this.billingDays = billingDays;
    }

    @GetMapping
    ModelAndView statements(@RequestParam(required = false) @DateTimeFormat(pattern = "yyyy-MM") YearMonth month,
                            @RequestParam(required = false) UUID tenant) {
        ConsoleUser me = TenantApi.current();
        YearMonth shown = month != null ? month
                : (me.role().tenantScoped() ? billingDays.of(me.tenantId()) : billingDays.platform()).month();
        ModelAndView view = new ModelAndView("statements/statements");
        view.addObject("month", shown);
        view.addObject("previousMonth", shown.minusMonths(1));
        view.addObject("nextMonth", shown.plusMonths(1));
        if (me.role().tenantScoped()) {
            view.addObject("statement", statement(tenant == null ? me.tenantId() : tenant, shown));
        } else {
            view.addObject("revenue", api.get(REVENUE, "/api/v1/statements/{month}", shown));
            if (tenant != null) {
                view.addObject("statement", statement(tenant, shown));
            }
        }
        return view;
    }

    /** The statement as tenant-service's CSV, downloaded under its own file name. */
    @GetMapping("/{tenant}/{month}.csv")
    ResponseEntity<String> csv(@PathVariable UUID tenant, @PathVariable @DateTimeFormat(pattern = "yyyy-MM") YearMonth month) {
        String csv = api.text(MediaType.parseMediaType("text/csv"), "/api/v1/tenants/{tenant}/statements/{month}.csv", tenant, month);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"statement-" + tenant + "-" + month + ".csv\"")
                .body(csv);
    }

    private Statement statement(UUID tenant, YearMonth month) {
        return api.get(Statement.class, "/api/v1/tenants/{tenant}/statements/{month}", tenant, month);
    }
}
