package io.maas.console.tenants;

import io.maas.console.system.ApiProblem;
import io.maas.console.system.TenantApi;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** Tenants for the platform admin: list, create, suspend and activate; a tenant's price book, limits and people. */
@Controller
@RequestMapping("/tenants")
class TenantsController {

    record Tenant(UUID id, String name, String status, String billingMode, String creditLimit, UUID priceBookId, Instant createdAt) {
    }

    record Book(UUID id, String name, boolean platformDefault, int versions, String latestVersion) {
    }

    record User(UUID id, String username, String role, UUID tenantId, Instant createdAt, Instant disabledAt) {
    }

    record Money(BigDecimal amount, String currency) {
    }

    record Limits(Long requestsPerMinute, Long tokensPerMinute, Long maxConcurrentRequests, Long dailyTokens, Long monthlyTokens,
                  Money monthlySpendLimit) {
    }

    /** The per-count limits' form fields and their labels' message keys, in form order. */
    private static final Map<String, String> LIMIT_FIELDS = limitFields();

    static final List<String> TENANT_ROLES = List.of("TENANT_ADMIN", "TENANT_FINANCE", "DEVELOPER");
    private static final ParameterizedTypeReference<List<Tenant>> TENANTS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Book>> BOOKS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<User>> USERS = new ParameterizedTypeReference<>() { };

    private final TenantApi api;

    TenantsController(TenantApi api) {
        this.api = api;
    }

    @GetMapping
    ModelAndView list() {
        return listView(Map.of(), Map.of(), HttpStatus.OK);
    }

    @PostMapping
    ModelAndView create(@RequestParam String name, @RequestParam String billingMode) {
        try {
            api.post(Map.of("name", name, "billingMode", billingMode), Tenant.class, "/api/v1/tenants");
            return new ModelAndView("redirect:/tenants?created=" + name);
        } catch (ApiProblem problem) {
            return listView(problem.onField("name"), Map.of("name", name, "billingMode", billingMode), HttpStatus.valueOf(problem.status()));
        }
    }

    /** With htmx, the tenant's row alone comes back and replaces the old one; a plain form post goes back to the list. */
    @PostMapping("/{id}/{action:suspend|activate}")
    ModelAndView status(@PathVariable UUID id, @PathVariable String action, @RequestHeader(name = "HX-Request", required = false) String htmx) {
        Tenant tenant = api.post(null, Tenant.class, "/api/v1/tenants/{id}/" + action, id);
        if (htmx == null) {
            return new ModelAndView("redirect:/tenants");
        }
        ModelAndView row = new ModelAndView("tenants/list :: row");
        row.addObject("tenants", List.of(tenant));
        row.addObject("books", bookNames());
        return row;
    }

    @GetMapping("/{id}")
    ModelAndView detail(@PathVariable UUID id) {
        return detailView(id, Map.of(), HttpStatus.OK);
    }

    @PostMapping("/{id}/price-book")
    ModelAndView priceBook(@PathVariable UUID id, @RequestParam String priceBook) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("priceBook", priceBook.isBlank() ? null : priceBook);
        try {
            api.put(body, Tenant.class, "/api/v1/tenants/{id}/price-book", id);
            return new ModelAndView("redirect:/tenants/" + id + "?saved=price-book");
        } catch (ApiProblem problem) {
            return detailView(id, problem.onField("priceBook"), HttpStatus.valueOf(problem.status()));
        }
    }

    @PostMapping("/{id}/limits")
    ModelAndView limits(@PathVariable UUID id, @RequestParam Map<String, String> form) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String field : LIMIT_FIELDS.keySet()) {
            String value = form.getOrDefault(field, "").strip();
            if (!value.isEmpty()) {
                body.put(field, value);
            }
        }
        String spend = form.getOrDefault("monthlySpendLimit", "").strip();
        if (!spend.isEmpty()) {
            body.put("monthlySpendLimit", Map.of("amount", spend, "currency", form.getOrDefault("monthlySpendCurrency", "CNY")));
        }
        try {
            api.put(body, Limits.class, "/api/v1/tenants/{id}/limits", id);
            return new ModelAndView("redirect:/tenants/" + id + "?saved=limits");
        } catch (ApiProblem problem) {
            Map<String, String> errors = new LinkedHashMap<>();
            problem.onField("limits").forEach((field, message) -> errors.put(field.replace("monthlySpendLimit.amount", "monthlySpendLimit"), message));
            return detailView(id, errors, HttpStatus.valueOf(problem.status()));
        }
    }

    @PostMapping("/{id}/users")
    ModelAndView user(@PathVariable UUID id, @RequestParam String username, @RequestParam String password, @RequestParam String role) {
        try {
            api.post(Map.of("username", username, "password", password, "role", role, "tenantId", id), User.class, "/api/v1/users");
            return new ModelAndView("redirect:/tenants/" + id + "?saved=user");
        } catch (ApiProblem problem) {
            return detailView(id, problem.onField("username"), HttpStatus.valueOf(problem.status()));
        }
    }

    private ModelAndView listView(Map<String, String> errors, Map<String, String> form, HttpStatus status) {
        List<Tenant> tenants = api.get(TENANTS, "/api/v1/tenants");
        ModelAndView view = new ModelAndView("tenants/list", status);
        view.addObject("tenants", tenants);
        view.addObject("books", bookNames());
        view.addObject("errors", errors);
        view.addObject("form", form);
        return view;
    }

    private ModelAndView detailView(UUID id, Map<String, String> errors, HttpStatus status) {
        Tenant tenant = api.get(Tenant.class, "/api/v1/tenants/{id}", id);
        ModelAndView view = new ModelAndView("tenants/detail", status);
        view.addObject("tenant", tenant);
        view.addObject("books", api.get(BOOKS, "/api/v1/price-books"));
        Limits limits = api.get(Limits.class, "/api/v1/tenants/{id}/limits", id);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("requestsPerMinute", text(limits.requestsPerMinute()));
        values.put("tokensPerMinute", text(limits.tokensPerMinute()));
        values.put("maxConcurrentRequests", text(limits.maxConcurrentRequests()));
        values.put("dailyTokens", text(limits.dailyTokens()));
        values.put("monthlyTokens", text(limits.monthlyTokens()));
        view.addObject("limits", limits);
        view.addObject("limitFields", LIMIT_FIELDS);
        view.addObject("limitValues", values);
        view.addObject("users", api.get(USERS, "/api/v1/tenants/{id}/users", id));
        view.addObject("roles", TENANT_ROLES);
        view.addObject("errors", errors);
        return view;
    }

    private static String text(Long value) {
        return value == null ? "" : value.toString();
    }

    private static Map<String, String> limitFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("requestsPerMinute", "limit.requests-per-minute");
        fields.put("tokensPerMinute", "limit.tokens-per-minute");
        fields.put("maxConcurrentRequests", "limit.max-concurrent-requests");
        fields.put("dailyTokens", "limit.daily-tokens");
        fields.put("monthlyTokens", "limit.monthly-tokens");
        return java.util.Collections.unmodifiableMap(fields);
    }

    private Map<UUID, String> bookNames() {
        Map<UUID, String> names = new LinkedHashMap<>();
        api.get(BOOKS, "/api/v1/price-books").forEach(book -> names.put(book.id(), book.name()));
        return names;
    }
}
