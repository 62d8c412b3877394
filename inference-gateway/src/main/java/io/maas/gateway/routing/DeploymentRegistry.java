package io.maas.gateway.routing;

import io.maas.gateway.GatewayProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deployments tenant-service's reconciler keeps in PostgreSQL, read every
 * {@code platform.gateway.routing.registry-interval} (1 s: a change is served within 2 s) with one
 * indexed query over the live deployments and their replicas. A deployment is served from the
 * moment it exists until it is {@code DELETING}; its replicas in {@code READY} take new requests,
 * those in {@code DRAINING} only finish what they have. While PostgreSQL cannot be read the last
 * view is kept.
 */
@Component
public class DeploymentRegistry implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeploymentRegistry.class);

    /** A replica with a known endpoint. */
    public record Replica(UUID id, URI endpoint, boolean draining) {
    }

    /** A live deployment: {@code tenantId} null when it is shared by every tenant. */
    public record Deployment(UUID id, String servedModelName, String catalogModel, UUID tenantId, List<Replica> replicas) {
    }

    /** The deployments of one served model name: the shared one (if any) and the private ones by tenant. */
    record Served(Deployment shared, Map<UUID, Deployment> privates) {
    }

    private final JdbcClient jdbc;
    private final EndpointMonitor monitor;
    private final Set<URI> staticEndpoints = new HashSet<>();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("deployment-registry").daemon().factory());
    private volatile Map<String, Served> served = Map.of();

    DeploymentRegistry(JdbcClient jdbc, EndpointMonitor monitor, GatewayProperties gateway, RoutingProperties routing) {
        this.jdbc = jdbc;
        this.monitor = monitor;
        gateway.models().forEach(route -> staticEndpoints.addAll(route.endpoints()));
        staticEndpoints.forEach(monitor::of);
        refresh();
        long every = routing.registryInterval().toMillis();
        ticks.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** The deployments serving {@code model}; null when none. */
    Served served(String model) {
        return served.get(model);
    }

    /** Every served model name with at least one deployment. */
    Map<String, Served> all() {
        return served;
    }

    void refresh() {
        try {
            served = index(read());
        } catch (DataAccessException e) {
            log.warn("Cannot read the deployments ({}); routing on the last view", e.getMostSpecificCause().getMessage());
        } catch (RuntimeException e) {
            log.error("Reading the deployments failed; routing on the last view", e);
        }
    }

    private record Row(UUID deployment, String servedModelName, String catalogModel, UUID tenantId, UUID replica, String endpoint, String state) {
    }

    private List<Row> read() {
        return jdbc.sql("""
                        SELECT d.id, d.served_model_name, d.model, d.tenant_id, r.id AS replica_id, r.endpoint, r.state
                        FROM deployment d
                        LEFT JOIN deployment_replica r ON r.deployment_id = d.id
                            AND r.state IN ('READY', 'DRAINING') AND r.endpoint IS NOT NULL
                        WHERE d.state NOT IN ('DELETING', 'DELETED')
                        ORDER BY d.id, r.ordinal""")
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7)))
                .list();
    }

    private Map<String, Served> index(List<Row> rows) {
        Map<UUID, Deployment> deployments = new LinkedHashMap<>();
        Set<URI> named = new HashSet<>(staticEndpoints);
        for (Row row : rows) {
            Deployment deployment = deployments.computeIfAbsent(row.deployment(),
                    id -> new Deployment(id, row.servedModelName(), row.catalogModel(), row.tenantId(), new ArrayList<>()));
            if (row.replica() != null) {
                URI endpoint = URI.create(row.endpoint());
                deployment.replicas().add(new Replica(row.replica(), endpoint, "DRAINING".equals(row.state())));
                named.add(endpoint);
                monitor.of(endpoint);
            }
        }
        monitor.retain(named);
        Map<String, Deployment> shared = new HashMap<>();
        Map<String, Map<UUID, Deployment>> privates = new HashMap<>();
        for (Deployment d : deployments.values()) {
            Deployment frozen = new Deployment(d.id(), d.servedModelName(), d.catalogModel(), d.tenantId(), List.copyOf(d.replicas()));
            if (frozen.tenantId() == null) {
                shared.putIfAbsent(frozen.servedModelName(), frozen);
            } else {
                privates.computeIfAbsent(frozen.servedModelName(), m -> new HashMap<>()).putIfAbsent(frozen.tenantId(), frozen);
            }
        }
        Map<String, Served> byName = new HashMap<>();
        Set<String> names = new HashSet<>(shared.keySet());
        names.addAll(privates.keySet());
        for (String name : names) {
            byName.put(name, new Served(shared.get(name), Map.copyOf(privates.getOrDefault(name, Map.of()))));
        }
        return Map.copyOf(byName);
    }

    @Override
    public void destroy() {
        ticks.shutdownNow();
    }
}
