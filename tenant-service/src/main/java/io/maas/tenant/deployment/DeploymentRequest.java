package io.maas.tenant.deployment;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/deployments}; every field but {@code name} and {@code model} may be left
 * out, to be chosen by fit over the target's inventory ({@code accelerator}, {@code precision}) or defaulted.
 *
 * @param tenantId        the owning tenant, whose keys alone may call it; absent: shared by every tenant
 * @param servedModelName what clients put in {@code model}; default the catalog id
 * @param target          {@code local} (default) or {@code kubernetes}
 * @param runtime         default: the vendor's default engine
 * @param concurrency     sequences of {@code contextLength} tokens each replica must hold at once, for fit
 */
public record DeploymentRequest(
        String name,
        UUID tenantId,
        String model,
        String servedModelName,
        String target,
        String runtime,
        Accelerator accelerator,
        String precision,
        Integer contextLength,
        Integer concurrency,
        Integer replicas,
        Money costPerAcceleratorHour) {

    /** @param countPerReplica devices one replica uses; default the fewest that fit */
    public record Accelerator(String vendor, String type, Integer countPerReplica) {
    }

    public record Money(BigDecimal amount, String currency) {
    }

    /** {@code PATCH /api/v1/deployments/{id}}: the replicas, the cost, or both. */
    public record Patch(Integer replicas, Money costPerAcceleratorHour) {
    }
}
