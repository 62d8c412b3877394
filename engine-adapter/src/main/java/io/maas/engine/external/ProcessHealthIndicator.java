package io.maas.engine.external;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@code engineProcess} in {@code /health}: UP while the engine process is ready, DOWN while it starts or restarts. */
final class ProcessHealthIndicator implements HealthIndicator {

    private final ProcessSupervisor supervisor;

    ProcessHealthIndicator(ProcessSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        Health.Builder health = switch (supervisor.state()) {
            case READY -> Health.up().withDetail("pid", supervisor.pid());
            case STARTING, BACKING_OFF -> Health.down();
            case STOPPED -> Health.outOfService();
        };
        health.withDetail("state", supervisor.state().name().toLowerCase(java.util.Locale.ROOT))
                .withDetail("restarts", supervisor.restarts());
        if (supervisor.lastExit() != null) {
            health.withDetail("lastExit", supervisor.lastExit());
        }
        return health.build();
    }
}
