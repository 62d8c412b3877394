package io.maas.bench;

import java.time.Duration;

/** CPU time (user and system) of processes on this machine, as the kernel counts it, to divide by the work they did. */
public final class CpuTime {

    private CpuTime() {
    }

    /** The CPU time {@code process} has used so far, in nanoseconds; 0 when the kernel does not say. */
    public static long nanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** The CPU time of every PostgreSQL server process on this machine (the postmaster, its backends, its writers). */
    public static long postgresNanos() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().filter(command -> command.endsWith("/postgres")).isPresent())
                .mapToLong(CpuTime::nanos)
                .sum();
    }
}
