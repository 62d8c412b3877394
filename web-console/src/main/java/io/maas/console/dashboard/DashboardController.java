package io.maas.console.dashboard;

import io.maas.console.deployments.Deployment;
import io.maas.console.system.BillingDays;
import io.maas.console.system.TenantApi;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The platform admin's day (today in the platform's billing zone; each tenant's usage on that day of its own
 * calendar): requests, tokens and revenue per tier, the five tenants with most spend, tenants by status,
 * deployments by state and ready engines by accelerator vendor.
 */
@Controller
@RequestMapping("/dashboard")
class DashboardController {

    record TierTotal(String tier, String currency, long requests, long tokens, String amount, String amountRounded) {
    }

    record TenantSpend(UUID tenantId, String tenantName, String currency, long requests, long tokens, String amount, String amountRounded) {
    }

    record Summary(LocalDate day, List<TierTotal> tiers, List<TenantSpend> topTenants) {
    }

    record Tenant(UUID id, String name, String status) {
    }

    private static final ParameterizedTypeReference<List<Deployment>> DEPLOYMENTS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Tenant>> TENANTS = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final BillingDays billingDays;

    DashboardController(TenantApi api, BillingDays billingDays) {
        this.api = api;
        this.billingDays = billingDays;
    }

    @GetMapping
    ModelAndView dashboard() {
        BillingDays.Today now = billingDays.platform();
        Summary summary = api.get(Summary.class, "/api/v1/usage/summary?day={day}", now.today());
        Map<String, Long> byStatus = api.get(TENANTS, "/api/v1/tenants").stream()
                .collect(Collectors.groupingBy(Tenant::status, java.util.TreeMap::new, Collectors.counting()));
        ModelAndView view = new ModelAndView("dashboard/dashboard");
        view.addObject("summary", summary);
        view.addObject("zone", now.zone());
        view.addObject("requests", summary.tiers().stream().mapToLong(TierTotal::requests).sum());
        view.addObject("tokens", summary.tiers().stream().mapToLong(TierTotal::tokens).sum());
        view.addObject("revenue", summary.tiers().stream().filter(t -> !"XXX".equals(t.currency())).toList());
        view.addObject("tenantsByStatus", byStatus);
        List<Deployment> deployments = api.get(DEPLOYMENTS, "/api/v1/deployments").stream().filter(d -> !d.state().equals("DELETED")).toList();
        view.addObject("deploymentsByState", deployments.stream()
                .collect(Collectors.groupingBy(Deployment::state, java.util.TreeMap::new, Collectors.counting())));
        view.addObject("enginesByVendor", deployments.stream()
                .collect(Collectors.groupingBy(d -> d.accelerator().vendor(), java.util.TreeMap::new,
                        Collectors.summingLong(d -> d.replicas().ready()))));
        return view;
    }
}
