package io.maas.tenant.billing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Balances, credits and statements. Writes ({@code grants}, {@code top-ups}): {@code PLATFORM_ADMIN},
 * {@code FINANCE}. Reads: those two and the tenant's {@code TENANT_ADMIN} and {@code TENANT_FINANCE}
 * (another tenant: 404). {@code /api/v1/statements/{month}}: every tenant, {@code PLATFORM_ADMIN} and
 * {@code FINANCE}. Months are {@code yyyy-MM}, each tenant's own month (its billing zone).
 */
@RestController
class BillingController {

    static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    record NewCredit(@NotNull @DecimalMin(value = "0", inclusive = false) BigDecimal amount,
                     @Pattern(regexp = "CNY|USD", message = "must be CNY or USD") String currency,
                     LocalDate expiresOn,
                     @Size(max = 500) String note) {
    }

    record BalanceView(String currency, String totalBalance, String grantedBalance, String toppedUpBalance) {
    }

    private final Credits credits;
    private final Statements statements;

    BillingController(Credits credits, Statements statements) {
        this.credits = credits;
        this.statements = statements;
    }

    @PostMapping("/api/v1/tenants/{tenantId}/grants")
    @ResponseStatus(HttpStatus.CREATED)
    Credits.Credit grant(@PathVariable UUID tenantId, @Valid @RequestBody NewCredit request) {
        return credits.add(tenantId, Credits.Kind.GRANT, currency(request), request.amount(), request.expiresOn(), request.note());
    }

    @PostMapping("/api/v1/tenants/{tenantId}/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    Credits.Credit topUp(@PathVariable UUID tenantId, @Valid @RequestBody NewCredit request) {
        return credits.add(tenantId, Credits.Kind.TOP_UP, currency(request), request.amount(), request.expiresOn(), request.note());
    }

    @GetMapping("/api/v1/tenants/{tenantId}/credits")
    List<Credits.Credit> credits(@PathVariable UUID tenantId) {
        return credits.list(tenantId, Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"));
    }

    /** Exact amounts (unrounded decimal strings); {@code total = granted + toppedUp}. */
    @GetMapping("/api/v1/tenants/{tenantId}/balance")
    List<BalanceView> balance(@PathVariable UUID tenantId) {
        return credits.balance(tenantId).stream()
                .map(b -> new BalanceView(b.currency(), Statement.plain(b.total()), Statement.plain(b.granted()), Statement.plain(b.toppedUp())))
                .toList();
    }

    @GetMapping(value = "/api/v1/tenants/{tenantId}/statements/{month}", produces = MediaType.APPLICATION_JSON_VALUE)
    Statement statement(@PathVariable UUID tenantId, @PathVariable YearMonth month) {
        return statements.of(tenantId, month);
    }

    @GetMapping(value = "/api/v1/tenants/{tenantId}/statements/{month}", produces = "text/csv")
    ResponseEntity<String> statementCsv(@PathVariable UUID tenantId, @PathVariable YearMonth month) {
        return csv(statements.of(tenantId, month), tenantId + "-" + month);
    }

    @GetMapping("/api/v1/tenants/{tenantId}/statements/{month}.csv")
    ResponseEntity<String> statementCsvByName(@PathVariable UUID tenantId, @PathVariable YearMonth month) {
        return statementCsv(tenantId, month);
    }

    @GetMapping("/api/v1/statements/{month}")
    List<Statements.TenantTotal> platform(@PathVariable YearMonth month) {
        return statements.platform(month);
    }

    private static ResponseEntity<String> csv(Statement statement, String name) {
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"statement-" + name + ".csv\"")
                .body(StatementCsv.write(statement));
    }

    private static String currency(NewCredit request) {
        return request.currency() == null ? "CNY" : request.currency();
    }
}
