package io.maas.engine.runtime;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP only once the model is loaded; OUT_OF_SERVICE while it loads or drains, DOWN with the reason when it failed. */
final class ModelHealthIndicator implements HealthIndicator {

    private final ManagedEngine engine;
    private final RequestGate gate;

    ModelHealthIndicator(ManagedEngine engine, RequestGate gate) {
        this.engine = engine;
        this.gate = gate;
    }

    @Override
    public Health health() {
        if (gate.draining()) {
            return Health.outOfService().withDetail("state", "draining").build();
        }
        return switch (engine.state()) {
            case READY -> {
                ModelInfo model = engine.ready().model();
                yield Health.up().withDetail("model", model.name()).withDetail("architecture", model.architecture())
                        .withDetail("contextPerRequest", model.contextPerRequest())
                        .withDetail("parallel", model.parallel()).build();
            }
            case LOADING -> Health.outOfService().withDetail("state", "loading").build();
            case FAILED -> Health.down().withDetail("error", engine.error()).build();
            case STOPPED -> Health.outOfService().withDetail("state", "stopped").build();
        };
    }
}
