package io.maas.gateway.routing;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests of one model waiting for an endpoint with room, bounded, fair across tenants.
 *
 * <p>Discipline: one FIFO per tenant, and the tenants take turns (round robin): the next request
 * to go is the oldest of the tenant whose turn it is, after which that tenant moves to the back of
 * the rotation. A tenant with a burst of a hundred requests therefore delays another tenant's one
 * request by at most one of its own, never by its whole burst. A request arriving while others
 * wait joins the queue rather than overtaking them.
 */
final class FairQueue {

    /** One waiting request. */
    static final class Ticket {
        private final UUID tenant;

        private Ticket(UUID tenant) {
            this.tenant = tenant;
        }
    }

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<UUID, ArrayDeque<Ticket>> tenants = new LinkedHashMap<>();
    private int size;

    FairQueue(int capacity) {
        this.capacity = capacity;
    }

    /** A place in the queue; null when it is full. */
    Ticket join(UUID tenant) {
        lock.lock();
        try {
            if (size >= capacity) {
                return null;
            }
            Ticket ticket = new Ticket(tenant);
            tenants.computeIfAbsent(tenant, t -> new ArrayDeque<>()).addLast(ticket);
            size++;
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code ticket} is the next to go: the oldest request of the tenant whose turn it is. */
    boolean isNext(Ticket ticket) {
        lock.lock();
        try {
            Iterator<ArrayDeque<Ticket>> turn = tenants.values().iterator();
            return turn.hasNext() && turn.next().peekFirst() == ticket;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes {@code ticket}: served (its tenant then goes to the back of the rotation) or given up
     * (its tenant keeps its place). Wakes the waiters, since the next one may now go.
     */
    void leave(Ticket ticket, boolean served) {
        lock.lock();
        try {
            ArrayDeque<Ticket> queue = tenants.get(ticket.tenant);
            if (queue != null && queue.remove(ticket)) {
                size--;
                if (queue.isEmpty()) {
                    tenants.remove(ticket.tenant);
                } else if (served) {
                    tenants.remove(ticket.tenant);
                    tenants.put(ticket.tenant, queue);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until something changed (a request left the queue or an endpoint freed room) or {@code nanos} passed. */
    void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            changed.await(nanos, TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** An endpoint may have room now. */
    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return size == 0;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }
}
