package io.maas.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.maas.gateway.ModularityTests.GATEWAY;

import com.tngtech.archunit.core.domain.JavaCall;
import io.maas.gateway.scheduling.OneAtATime;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Nothing of the gateway is scheduled with a fixed delay on Spring's scheduler. With virtual threads that scheduler is a
 * {@code SimpleAsyncTaskScheduler}, which runs every fixed-delay task on its one scheduler thread, the thread that also
 * starts the fixed-rate ones. A give-back of two thousand tenants' blocks held it for seconds (a spool replay after an
 * outage, or an orphan sweep waiting for engines, could too), and meanwhile no limit or price book was kept warm, so
 * requests read PostgreSQL themselves (bench/results/admission-*.md, issue 12). Fixed-rate tasks run each in a thread
 * of its own; those that must not overlap skip a turn while the last one runs ({@link OneAtATime}).
 */
class SchedulingTests {

    @Test
    void noScheduledMethodHasAFixedDelay() {
        methods().that().areAnnotatedWith(Scheduled.class)
                .should().beAnnotatedWith(describe("@Scheduled without a fixed delay", annotation ->
                        annotation.getRawType().isEquivalentTo(Scheduled.class)
                                && (Long) annotation.get("fixedDelay").orElseThrow() < 0
                                && annotation.get("fixedDelayString").orElseThrow().toString().isEmpty()))
                .check(GATEWAY);
    }

    @Test
    void nothingIsHandedToTheTaskSchedulerWithAFixedDelay() {
        noClasses().should().callMethodWhere(describe("TaskScheduler.scheduleWithFixedDelay",
                        (JavaCall<?> call) -> call.getTarget().getName().equals("scheduleWithFixedDelay")
                                && call.getTargetOwner().isAssignableTo(TaskScheduler.class)))
                .check(GATEWAY);
    }
}
