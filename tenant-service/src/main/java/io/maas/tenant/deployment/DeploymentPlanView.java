package io.maas.tenant.deployment;

import io.maas.accelerators.fit.FitReport;
import java.util.UUID;

/**
 * {@code POST /api/v1/deployments/plan}: what creating this request would deploy, decided exactly as
 * {@code POST /api/v1/deployments} decides it, with nothing stored and nothing started.
 *
 * @param fit    the per-device memory breakdown of the chosen layout
 * @param choice what one-click chose and why, or that the request named the accelerator
 */
public record DeploymentPlanView(
        String name,
        UUID tenantId,
        String model,
        String servedModelName,
        String target,
        String runtime,
        DeploymentView.Accelerator accelerator,
        String precision,
        int contextLength,
        int replicas,
        DeploymentRequest.Money costPerAcceleratorHour,
        FitReport fit,
        String choice) {

    static DeploymentPlanView of(Plan plan) {
        return new DeploymentPlanView(plan.name(), plan.tenantId(), plan.model(), plan.servedModelName(), plan.target(), plan.runtime().id(),
                new DeploymentView.Accelerator(plan.vendor(), plan.acceleratorType(), plan.acceleratorsPerReplica(), plan.nodesPerReplica()),
                plan.precision(), plan.contextLength(), plan.replicas(), plan.cost(), plan.fit(), plan.choice());
    }
}
