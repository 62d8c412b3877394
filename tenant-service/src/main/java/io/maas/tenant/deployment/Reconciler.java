package io.maas.tenant.deployment;

import io.maas.tenant.catalog.Catalog;
import io.maas.tenant.catalog.CatalogEntry;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import io.maas.tenant.deployment.provision.Provisioner;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drives what runs towards what the deployments table asks for, one deployment at a time on one thread,
 * every {@code reconcile-interval} and at once after an API change.
 *
 * <p>Rules:
 * <ul>
 *   <li>Level-triggered: each pass reads the desired state from PostgreSQL and what the target runs
 *       ({@link Provisioner#observe}), and writes the difference as replica rows, deployment state and
 *       events (an event only for a change). Nothing is kept in memory that a restart would lose except
 *       the back-off timers, so a restarted tenant-service adopts the replicas that still run (matched
 *       by handle) and starts only those that do not.</li>
 *   <li>Draining: a replica that leaves (scale-down or delete) is first marked DRAINING, which gateways
 *       see within a second and stop routing to it; only after {@code drain-delay} is the target told to
 *       stop it (and the engine-adapter then finishes what it has in flight). Then its row is STOPPED
 *       with {@code stopped_at}, which ends its replica-hours.</li>
 *   <li>Restarts: a failed replica is started again by the next {@link Provisioner#apply}, which waits
 *       {@code initial-backoff} doubled for each restart in a row, up to {@code max-backoff}. After
 *       {@code crash-loop-restarts} the deployment is FAILED (crash loop) but still retried.</li>
 *   <li>A target reserves ordinals 0..replicas-1; scaling down removes the highest ordinals.</li>
 *   <li>One reconciler at a time: of several tenant-service instances on one database, the one holding a
 *       PostgreSQL session advisory lock reconciles; the others wait to take over when its session ends.</li>
 * </ul>
 */
@Component
class Reconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final DeploymentRows rows;
    private final Provisioners provisioners;
    private final Catalog catalog;
    private final DeploymentProperties properties;
    /** The advisory lock that elects the one reconciler among tenant-service instances on this database. */
    static final long LEADER_LOCK = 0x6d6161735f646570L;

    private final DataSource dataSource;
    private final Semaphore wake = new Semaphore(0);
    private Connection leadership;
    /** Per deployment: the generation last applied, and when the next apply may restart a failed replica. */
    private final Map<UUID, Long> applied = new HashMap<>();
    private final Map<UUID, Instant> notBefore = new HashMap<>();
    private volatile boolean running;
    private Thread thread;

    Reconciler(DataSource dataSource, DeploymentRows rows, Provisioners provisioners, Catalog catalog, DeploymentProperties properties) {
        this.dataSource = dataSource;
        this.rows = rows;
        this.provisioners = provisioners;
        this.catalog = catalog;
        this.properties = properties;
    }

    /** Runs a pass soon, without waiting for the interval. */
    void wake() {
        wake.release();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("deployment-reconciler").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            thread.join(Duration.ofSeconds(30));
            if (leadership != null) {
                retireReplicasThatEndWithUs();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            resign();
        }
    }

    /**
     * Replicas of targets whose processes end with tenant-service (the local one, by default) are drained and
     * recorded stopped before it goes, so gateways stop routing to them and their replica-hours end; a restarted
     * tenant-service starts them again.
     */
    private void retireReplicasThatEndWithUs() throws InterruptedException {
        List<DeploymentRows.Replica> retiring = new ArrayList<>();
        for (DeploymentRows.Row row : rows.active()) {
            if (provisioners.find(row.target()).map(p -> !p.replicasOutliveService()).orElse(false)) {
                for (DeploymentRows.Replica replica : rows.liveReplicas(row.id())) {
                    rows.drainReplica(replica.id());
                    retiring.add(replica);
                }
            }
        }
        if (retiring.isEmpty()) {
            return;
        }
        log.info("Draining {} local replica(s) for {} before tenant-service stops them", retiring.size(), properties.drainDelay());
        Thread.sleep(properties.drainDelay().toMillis());
        for (DeploymentRows.Replica replica : retiring) {
            rows.stopReplica(replica.id(), "stopped with tenant-service");
            rows.event(replica.deploymentId(), replica.id(), false, "Stopped", "Replica " + replica.ordinal() + " stopped with tenant-service");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                if (lead()) {
                    pass();
                }
            } catch (RuntimeException e) {
                log.warn("Reconciling deployments failed; retrying: {}", e.toString());
            }
            try {
                wake.tryAcquire(properties.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether this instance holds the leader lock, taking it when it is free. */
    private boolean lead() {
        try {
            if (leadership != null && leadership.isValid(1)) {
                return true;
            }
            resign();
            Connection connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LEADER_LOCK);
                try (ResultSet result = lock.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        leadership = connection;
                        log.info("This tenant-service reconciles the deployments");
                        return true;
                    }
                }
            }
            connection.close();
            return false;
        } catch (SQLException e) {
            log.warn("Cannot take the reconciler's lock: {}", e.getMessage());
            return false;
        }
    }

    private void resign() {
        if (leadership != null) {
            try (Connection connection = leadership) {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, LEADER_LOCK);
                    unlock.execute();
                }
            } catch (SQLException e) {
                log.debug("Releasing the reconciler's lock: {}", e.getMessage());
            }
            leadership = null;
        }
    }

    /** One pass over every deployment that is not DELETED. */
    void pass() {
        for (DeploymentRows.Row row : rows.active()) {
            try {
                reconcile(row);
            } catch (RuntimeException e) {
                log.warn("Reconciling deployment {} failed: {}", row.name(), e.toString(), e);
                event(row, null, true, "ReconcileError", e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    private void reconcile(DeploymentRows.Row row) {
        Optional<Provisioner> found = provisioners.find(row.target());
        if (found.isEmpty()) {
            transition(row, DeploymentState.FAILED, "target '" + row.target() + "' is not configured");
            return;
        }
        Provisioner provisioner = found.get();
        DeploymentSpec spec = row.spec(weights(row.model()), tensorParallel(row));
        Instant now = Instant.now();
        List<DeploymentRows.Replica> live = rows.liveReplicas(row.id());
        boolean deleting = row.state() == DeploymentState.DELETING;
        int desired = deleting ? 0 : row.replicas();

        for (DeploymentRows.Replica replica : live) {
            if (replica.ordinal() >= desired && !replica.state().equals("DRAINING")) {
                rows.drainReplica(replica.id());
                event(row, replica.id(), false, "Draining", "Replica " + replica.ordinal() + " takes no new requests; it stops in "
                        + properties.drainDelay().toMillis() / 1000.0 + " s");
            }
        }
        live = rows.liveReplicas(row.id());
        boolean drainPending = live.stream().anyMatch(r -> r.state().equals("DRAINING") && r.ordinal() >= desired
                && r.updatedAt().plus(properties.drainDelay()).isAfter(now));
        if (drainPending) {
            return;
        }
        if (deleting) {
            provisioner.delete(spec);
            for (DeploymentRows.Replica replica : live) {
                rows.stopReplica(replica.id(), "stopped: the deployment was deleted");
                event(row, replica.id(), false, "Stopped", "Replica " + replica.ordinal() + " stopped");
            }
            forget(row.id());
            transition(row, DeploymentState.DELETED, null);
            return;
        }

        boolean leaving = live.stream().anyMatch(r -> r.ordinal() >= desired);
        boolean backedOff = notBefore.getOrDefault(row.id(), Instant.MIN).isAfter(now);
        if (!Objects.equals(applied.get(row.id()), row.generation()) || leaving || !backedOff && needsStart(live, desired)) {
            if (row.state() == DeploymentState.PENDING) {
                row = transition(row, DeploymentState.PROVISIONING, null);
            }
            provisioner.apply(spec);
            applied.put(row.id(), row.generation());
            notBefore.remove(row.id());
        }
        List<ReplicaObservation> observed = provisioner.observe(spec);
        sync(row, live, observed, desired, now);
        state(row, desired, now);
    }

    /** Whether the target runs fewer replicas than wanted (some failed or vanished). */
    private static boolean needsStart(List<DeploymentRows.Replica> live, int desired) {
        long running = live.stream().filter(r -> r.ordinal() < desired && !r.state().equals("FAILED")).count();
        return running < desired;
    }

    private void sync(DeploymentRows.Row row, List<DeploymentRows.Replica> before, List<ReplicaObservation> observed, int desired,
            Instant now) {
        Map<String, ReplicaObservation> byHandle = new HashMap<>();
        observed.forEach(o -> byHandle.put(o.handle(), o));
        Set<Integer> taken = new HashSet<>();
        for (DeploymentRows.Replica replica : before) {
            ReplicaObservation seen = replica.handle() == null ? null : byHandle.get(replica.handle());
            if (seen == null) {
                boolean drained = replica.state().equals("DRAINING");
                rows.stopReplica(replica.id(), drained ? "stopped after draining" : "no longer running");
                event(row, replica.id(), !drained, drained ? "Stopped" : "Lost", drained ? "Replica " + replica.ordinal() + " stopped"
                        : "Replica " + replica.ordinal() + " (" + replica.handle() + ") no longer runs; a new one is started");
            } else {
                taken.add(replica.ordinal());
            }
        }
        for (ReplicaObservation seen : observed) {
            Optional<DeploymentRows.Replica> existing = before.stream().filter(r -> seen.handle().equals(r.handle())).findFirst();
            String state = state(seen.phase());
            if (existing.isEmpty()) {
                int ordinal = seen.ordinal() != null ? seen.ordinal() : firstFree(taken);
                taken.add(ordinal);
                UUID id = rows.insertReplica(row.id(), ordinal, state, seen.handle(), seen.endpoint(), row.acceleratorsPerReplica(),
                        seen.restarts(), seen.message(), seen.startedAt());
                event(row, id, false, "Started", "Replica " + ordinal + " started (" + seen.handle() + ")");
                replicaEvent(row, id, ordinal, "PENDING", state, seen);
                continue;
            }
            DeploymentRows.Replica replica = existing.get();
            if (replica.state().equals("DRAINING") && replica.ordinal() >= desired) {
                continue;
            }
            rows.updateReplica(replica.id(), state, seen.endpoint(), seen.restarts(), seen.message(), seen.startedAt());
            if (seen.restarts() > replica.restarts()) {
                event(row, replica.id(), false, "Restarted", "Replica " + replica.ordinal() + " restarted (restart " + seen.restarts() + ")");
            }
            replicaEvent(row, replica.id(), replica.ordinal(), replica.state(), state, seen);
        }
        for (ReplicaObservation seen : observed) {
            if (seen.phase() == ReplicaObservation.Phase.FAILED && !notBefore.containsKey(row.id())) {
                Duration wait = backoff(seen.restarts());
                notBefore.put(row.id(), now.plus(wait));
                event(row, null, true, "BackOff", "Back-off " + wait.toMillis() / 1000.0 + " s restarting failed replica " + seen.handle()
                        + (seen.message() == null ? "" : ": " + seen.message()));
            }
        }
    }

    private void replicaEvent(DeploymentRows.Row row, UUID id, int ordinal, String from, String to, ReplicaObservation seen) {
        if (from.equals(to)) {
            return;
        }
        switch (to) {
            case "READY" -> event(row, id, false, "Ready", "Replica " + ordinal + " is ready on " + seen.endpoint());
            case "FAILED" -> event(row, id, true, "Failed", "Replica " + ordinal + " failed" + (seen.message() == null ? "" : ": " + seen.message()));
            case "STARTING" -> event(row, id, false, "Loading", "Replica " + ordinal + " is loading the model"
                    + (seen.message() == null ? "" : ": " + seen.message()));
            default -> {
            }
        }
    }

    /**
     * The deployment's state from its replicas, with an event when it changes. DEGRADED is a deployment that
     * served with all its replicas, or has one failing, and now has fewer ready; one still coming up is STARTING.
     */
    private void state(DeploymentRows.Row row, int desired, Instant now) {
        List<DeploymentRows.Replica> live = rows.liveReplicas(row.id()).stream().filter(r -> r.ordinal() < desired).toList();
        long ready = live.stream().filter(r -> r.state().equals("READY")).count();
        Optional<DeploymentRows.Replica> crashLooping = live.stream()
                .filter(r -> r.state().equals("FAILED") && r.restarts() >= properties.crashLoopRestarts()).findFirst();
        Optional<DeploymentRows.Replica> slow = live.stream().filter(r -> r.state().equals("STARTING") && r.startedAt() != null
                && r.startedAt().plus(properties.startTimeout()).isBefore(now)).findFirst();
        if (ready >= desired) {
            transition(row, DeploymentState.READY, null);
        } else if (crashLooping.isPresent()) {
            transition(row, DeploymentState.FAILED, "crash loop: replica " + crashLooping.get().ordinal() + " failed "
                    + (crashLooping.get().restarts() + 1) + " times in a row" + suffix(crashLooping.get().message()));
        } else if (slow.isPresent()) {
            transition(row, DeploymentState.FAILED, "startup timeout: replica " + slow.get().ordinal() + " not ready after "
                    + properties.startTimeout().toSeconds() + " s" + suffix(slow.get().message()));
        } else if (ready > 0 && (live.stream().anyMatch(r -> r.state().equals("FAILED")) || row.state() == DeploymentState.READY
                || row.state() == DeploymentState.DEGRADED)) {
            transition(row, DeploymentState.DEGRADED, ready + " of " + desired + " replicas ready");
        } else if (!live.isEmpty()) {
            transition(row, DeploymentState.STARTING, null);
        } else {
            transition(row, DeploymentState.PROVISIONING, null);
        }
    }

    private DeploymentRows.Row transition(DeploymentRows.Row row, DeploymentState state, String reason) {
        if (row.state() == state && Objects.equals(row.stateReason(), reason)) {
            return row;
        }
        if (!rows.setState(row.id(), row.generation(), state, reason)) {
            return row; // changed while this pass looked at it: the next pass decides
        }
        if (row.state() != state) {
            boolean warning = state == DeploymentState.FAILED || state == DeploymentState.DEGRADED;
            event(row, null, warning, camel(state), "Deployment is " + state + (reason == null ? "" : ": " + reason));
        }
        return row.withState(state, reason);
    }

    private void event(DeploymentRows.Row row, UUID replicaId, boolean warning, String reason, String message) {
        rows.event(row.id(), replicaId, warning, reason, message);
    }

    private Duration backoff(int restarts) {
        long millis = properties.initialBackoff().toMillis() << Math.min(restarts, 20);
        return millis >= properties.maxBackoff().toMillis() ? properties.maxBackoff() : Duration.ofMillis(millis);
    }

    private void forget(UUID id) {
        applied.remove(id);
        notBefore.remove(id);
    }

    private String weights(String model) {
        return catalog.find(model).map(CatalogEntry::weights).map(CatalogEntry.Weights::path).orElse(null);
    }

    private static int tensorParallel(DeploymentRows.Row row) {
        return Math.min(row.acceleratorsPerReplica() / Math.max(1, row.nodesPerReplica()), Math.max(1, row.acceleratorsPerReplica()));
    }

    private static String state(ReplicaObservation.Phase phase) {
        return switch (phase) {
            case STARTING -> "STARTING";
            case READY -> "READY";
            case DRAINING -> "DRAINING";
            case FAILED -> "FAILED";
        };
    }

    private static int firstFree(Set<Integer> taken) {
        int ordinal = 0;
        while (taken.contains(ordinal)) {
            ordinal++;
        }
        return ordinal;
    }

    private static String suffix(String message) {
        return message == null ? "" : ": " + message;
    }

    private static String camel(DeploymentState state) {
        String name = state.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
