package io.maas.tenant.deployment;

import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.pricing.PriceCoverage;
import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import io.maas.tenant.tenant.Tenants;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The desired state of private deployments, as the API changes it; the {@link Reconciler} makes it so.
 *
 * <p>Who: {@code PLATFORM_ADMIN} creates, scales, re-prices and deletes; {@code FINANCE} reads all;
 * {@code TENANT_ADMIN} and {@code TENANT_FINANCE} read their own tenant's. A deployment of another tenant,
 * or a shared one, is 404 to tenant roles. Every change is audited with the state before and after.
 */
@Service
class Deployments {

    private final DeploymentRows rows;
    private final Planner planner;
    private final Tenants tenants;
    private final AuditLog audit;
    private final JsonMapper json;
    private final DeploymentProperties properties;
    private final Reconciler reconciler;
    private final PriceCoverage coverage;

    Deployments(DeploymentRows rows, Planner planner, Tenants tenants, AuditLog audit, JsonMapper json, DeploymentProperties properties,
            Reconciler reconciler, PriceCoverage coverage) {
        this.rows = rows;
        this.planner = planner;
        this.tenants = tenants;
        this.audit = audit;
        this.json = json;
        this.properties = properties;
        this.reconciler = reconciler;
        this.coverage = coverage;
    }

    @Transactional
    DeploymentView create(DeploymentRequest request) {
        Caller caller = CurrentCaller.get();
        Plan plan = checked(request);
        UUID id = UUID.randomUUID();
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("choice", plan.choice());
        fit.put("report", plan.fit());
        rows.insert(id, plan, json.writeValueAsString(fit), caller.username());
        rows.event(id, null, false, "Created", "Created by " + caller.username() + ": " + plan.replicas() + " replica(s) of " + plan.model()
                + " on " + plan.target() + ", " + plan.acceleratorsPerReplica() + " × " + (plan.acceleratorType() == null ? plan.vendor()
                : plan.acceleratorType()) + " at " + plan.precision() + " each, runtime " + plan.runtime().id() + "; " + plan.choice());
        DeploymentView view = rows.view(rows.find(id).orElseThrow());
        audit.record("deployment.create", plan.tenantId(), "deployment/" + id, null, view);
        reconciler.wake();
        return view;
    }

    /** What {@link #create} would deploy for {@code request}, or the refusal it would answer; nothing is stored. */
    @Transactional(readOnly = true)
    DeploymentPlanView plan(DeploymentRequest request) {
        return DeploymentPlanView.of(checked(request));
    }

    /** The request planned and checked as creating it checks it: tenant visible (404), admin (403), plan, priced, name free. */
    private Plan checked(DeploymentRequest request) {
        if (request.tenantId() != null) {
            tenants.visible(request.tenantId());
        }
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        Plan plan = planner.plan(request);
        coverage.requirePriced(new PriceCoverage.Served(plan.servedModelName(), plan.model(), plan.tenantId()));
        if (rows.nameInUse(plan.name())) {
            throw ApiException.conflict("A deployment named '" + plan.name() + "' exists; choose another name or delete it first.")
                    .with("field", "name");
        }
        return plan;
    }

    @Transactional(readOnly = true)
    List<DeploymentView> list() {
        Caller caller = CurrentCaller.get();
        caller.require(Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE);
        if (caller.seesAllTenants()) {
            return rows.list(null).stream().map(rows::view).toList();
        }
        return rows.list(caller.tenantId()).stream().map(rows::view).toList();
    }

    @Transactional(readOnly = true)
    DeploymentView get(UUID id) {
        DeploymentRows.Row row = visible(id);
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE);
        return rows.view(row);
    }

    @Transactional(readOnly = true)
    List<DeploymentView.EventView> events(UUID id) {
        visible(id);
        CurrentCaller.get().require(Role.PLATFORM_ADMIN, Role.FINANCE, Role.TENANT_ADMIN, Role.TENANT_FINANCE);
        return rows.events(id);
    }

    @Transactional
    DeploymentView patch(UUID id, DeploymentRequest.Patch patch) {
        DeploymentRows.Row row = visible(id);
        Caller caller = CurrentCaller.get();
        caller.require(Role.PLATFORM_ADMIN);
        if (row.state() == DeploymentState.DELETING || row.state() == DeploymentState.DELETED) {
            throw ApiException.conflict("Deployment '" + row.name() + "' is " + row.state() + "; it can no longer be changed.");
        }
        if (patch.replicas() == null && patch.costPerAcceleratorHour() == null) {
            throw ApiException.invalid(HttpStatus.BAD_REQUEST, "replicas",
                    "Nothing to change: send replicas, costPerAcceleratorHour or both.");
        }
        Planner.checkReplicas(patch.replicas(), properties.maxReplicas());
        DeploymentRequest.Money cost = Planner.checkCost(patch.costPerAcceleratorHour());
        DeploymentView before = rows.view(row);
        if (patch.replicas() != null && patch.replicas() != row.replicas()) {
            rows.setReplicas(id, patch.replicas());
            rows.event(id, null, false, "Scaled", caller.username() + " scaled from " + row.replicas() + " to " + patch.replicas()
                    + " replica(s)");
        }
        if (cost != null) {
            rows.setCost(id, cost);
        }
        DeploymentView after = rows.view(rows.find(id).orElseThrow());
        audit.record("deployment.update", row.tenantId(), "deployment/" + id, before, after);
        reconciler.wake();
        return after;
    }

    @Transactional
    DeploymentView delete(UUID id) {
        DeploymentRows.Row row = visible(id);
        Caller caller = CurrentCaller.get();
        caller.require(Role.PLATFORM_ADMIN);
        DeploymentView before = rows.view(row);
        if (row.state() != DeploymentState.DELETING && row.state() != DeploymentState.DELETED) {
            rows.markDeleting(id);
            rows.event(id, null, false, "Deleting", "Deleted by " + caller.username() + "; replicas drain, then stop");
            audit.record("deployment.delete", row.tenantId(), "deployment/" + id, before, rows.view(rows.find(id).orElseThrow()));
            reconciler.wake();
        }
        return rows.view(rows.find(id).orElseThrow());
    }

    /** The deployment when the caller may see it: platform roles see all, tenant roles their own tenant's; otherwise 404. */
    private DeploymentRows.Row visible(UUID id) {
        Caller caller = CurrentCaller.get();
        return rows.find(id)
                .filter(row -> caller.seesAllTenants() || row.tenantId() != null && row.tenantId().equals(caller.tenantId()))
                .orElseThrow(() -> ApiException.notFound("deployment", id));
    }
}
