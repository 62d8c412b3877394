package io.maas.tenant.economics;

import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/economics?month=YYYY-MM} ({@code FINANCE}, {@code PLATFORM_ADMIN}): per deployment
 * and UTC day of the month, its accelerator-hours and their cost beside the revenue its requests billed
 * ({@code deployment_daily}, kept by the gateway), as {@link DayCalculation} computes them. A deployment
 * appears on the days it had a ready replica or billed anything. The cost uses the deployment's current
 * cost per accelerator-hour.
 */
@RestController
class EconomicsController {

    record Report(String month, List<DeploymentDay> days) {
    }

    private record Deployment(UUID id, String name, UUID tenantId, String model, DayCalculation.Rate rate) {
    }

    private final JdbcClient jdbc;

    EconomicsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/economics")
    @Transactional(readOnly = true)
    Report month(@RequestParam String month) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE);
        YearMonth yearMonth;
        try {
            yearMonth = YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("month must be YYYY-MM, was '" + month + "'").with("field", "month");
        }
        LocalDate first = yearMonth.atDay(1);
        LocalDate next = yearMonth.plusMonths(1).atDay(1);
        Instant start = first.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = next.atStartOfDay().toInstant(ZoneOffset.UTC);

        Map<UUID, Deployment> deployments = new HashMap<>();
        jdbc.sql("SELECT id, name, tenant_id, model, cost_per_accelerator_hour, cost_currency FROM deployment")
                .query(rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    deployments.put(id, new Deployment(id, rs.getString("name"), rs.getObject("tenant_id", UUID.class), rs.getString("model"),
                            new DayCalculation.Rate(rs.getBigDecimal("cost_per_accelerator_hour"), rs.getString("cost_currency"))));
                });
        Map<UUID, List<DayCalculation.Span>> spans = new HashMap<>();
        jdbc.sql("""
                        SELECT deployment_id, ready_at, coalesce(stopped_at, now()) AS until, accelerators
                        FROM deployment_replica
                        WHERE ready_at IS NOT NULL AND ready_at < ? AND coalesce(stopped_at, now()) > ?""")
                .params(Timestamp.from(end), Timestamp.from(start))
                .query(rs -> {
                    spans.computeIfAbsent(rs.getObject("deployment_id", UUID.class), k -> new ArrayList<>()).add(new DayCalculation.Span(
                            rs.getTimestamp("ready_at").toInstant(), rs.getTimestamp("until").toInstant(), rs.getInt("accelerators")));
                });
        Map<UUID, Map<LocalDate, List<DayCalculation.Revenue>>> revenue = new HashMap<>();
        jdbc.sql("""
                        SELECT deployment_id, day, tier, currency, requests, cache_hit_tokens, cache_miss_tokens, output_tokens, amount
                        FROM deployment_daily WHERE day >= ? AND day < ?""")
                .params(first, next)
                .query(rs -> {
                    revenue.computeIfAbsent(rs.getObject("deployment_id", UUID.class), k -> new HashMap<>())
                            .computeIfAbsent(rs.getObject("day", LocalDate.class), k -> new ArrayList<>())
                            .add(new DayCalculation.Revenue(rs.getString("tier"), rs.getString("currency"), rs.getLong("requests"),
                                    rs.getLong("cache_hit_tokens"), rs.getLong("cache_miss_tokens"), rs.getLong("output_tokens"),
                                    rs.getBigDecimal("amount")));
                });

        List<DeploymentDay> days = new ArrayList<>();
        for (Deployment deployment : deployments.values()) {
            List<DayCalculation.Span> running = spans.getOrDefault(deployment.id(), List.of());
            Map<LocalDate, List<DayCalculation.Revenue>> billed = revenue.getOrDefault(deployment.id(), Map.of());
            for (LocalDate day = first; day.isBefore(next); day = day.plusDays(1)) {
                Instant dayStart = day.atStartOfDay().toInstant(ZoneOffset.UTC);
                Instant dayEnd = dayStart.plusSeconds(86_400);
                boolean ran = running.stream().anyMatch(s -> s.readyAt().isBefore(dayEnd) && s.until().isAfter(dayStart));
                if (ran || billed.containsKey(day)) {
                    days.add(DayCalculation.of(deployment.id(), deployment.name(), deployment.tenantId(), deployment.model(), day, running,
                            deployment.rate(), billed.getOrDefault(day, List.of())));
                }
            }
        }
        days.sort(Comparator.comparing(DeploymentDay::deployment).thenComparing(DeploymentDay::day));
        return new Report(yearMonth.toString(), days);
    }
}
