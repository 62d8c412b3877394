package io.maas.engine.runtime;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits chat requests and counts those in flight, so that a shutdown can drain: once
 * {@link #drain} was called every new request is refused with {@link EngineUnavailableException}
 * (503 {@code engine_unavailable}, on which the gateway tries another engine), and the caller waits
 * until the requests already admitted have finished or the grace period is over.
 */
public final class RequestGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private boolean draining;

    /** One admitted request; closing it says the request has finished. */
    public interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    public Ticket admit() {
        lock.lock();
        try {
            if (draining) {
                throw new EngineUnavailableException(
                        "This engine is shutting down and takes no new requests; send the request to another engine.");
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
        return new Ticket() {
            private boolean closed;

            @Override
            public void close() {
                lock.lock();
                try {
                    if (!closed && --inFlight == 0) {
                        idle.signalAll();
                    }
                    closed = true;
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** Stops admitting, then waits up to {@code grace} for the requests in flight; true when they all finished. */
    public boolean drain(Duration grace) throws InterruptedException {
        long left = grace.toNanos();
        lock.lock();
        try {
            draining = true;
            while (inFlight > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
            return inFlight == 0;
        } finally {
            lock.unlock();
        }
    }

    public boolean draining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

}
