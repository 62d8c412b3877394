package io.maas.gateway.scheduling;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Background work that runs one at a time. The gateway schedules its background work at a fixed rate, each run in a
 * thread of its own (never with a fixed delay: Spring's virtual-thread scheduler runs those on its one thread, where
 * one slow task stops all the others), so a run still going when the next is due would overlap it: the scheduled run
 * {@linkplain #unlessRunning skips its turn}, and a caller that needs the work done (a shutdown, a test)
 * {@linkplain #afterRunning waits} for the run going on.
 */
public final class OneAtATime {

    private final ReentrantLock running = new ReentrantLock();

    /** Runs {@code work}, unless a run is going on: then nothing (a scheduled turn that the next one makes up for). */
    public void unlessRunning(Runnable work) {
        if (running.tryLock()) {
            try {
                work.run();
            } finally {
                running.unlock();
            }
        }
    }

    /** Runs {@code work} once the run going on, if any, has ended. */
    public void afterRunning(Runnable work) {
        running.lock();
        try {
            work.run();
        } finally {
            running.unlock();
        }
    }
}
