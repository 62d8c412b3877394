package io.maas.tenant.deployment;

import io.maas.accelerators.fit.FitReport;
import io.maas.tenant.catalog.EngineRuntime;
import java.util.UUID;

/**
 * A deployment request with every field decided: checked against the catalog, the target and the fit
 * calculator, and what one-click chose.
 *
 * @param cost   null when the request named no cost per accelerator-hour
 * @param choice why the accelerator and precision are these: what one-click chose and why, or that the request named them
 */
record Plan(
        String name,
        UUID tenantId,
        String model,
        String servedModelName,
        String target,
        EngineRuntime runtime,
        String vendor,
        String acceleratorType,
        int acceleratorsPerReplica,
        int nodesPerReplica,
        String precision,
        int contextLength,
        int replicas,
        DeploymentRequest.Money cost,
        FitReport fit,
        String choice) {
}
