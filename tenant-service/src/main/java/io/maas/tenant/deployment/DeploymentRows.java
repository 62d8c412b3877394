package io.maas.tenant.deployment;

import io.maas.tenant.deployment.provision.DeploymentSpec;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of deployments, their replicas and events (tables of V5). The API writes the desired state; the
 * reconciler writes state, replicas and events. Replica rows follow the contract gateways route by: a
 * replica takes requests exactly while its row is READY with an endpoint.
 */
@Repository
class DeploymentRows {

    /** A deployment row. {@code costAmount} and {@code costCurrency} are both null when no cost is set. */
    record Row(UUID id, String name, UUID tenantId, String model, String servedModelName, String target, String runtime, String vendor,
            String acceleratorType, int acceleratorsPerReplica, int nodesPerReplica, String precision, int contextLength, int replicas,
            BigDecimal costAmount, String costCurrency, DeploymentState state, String stateReason, String fit, long generation,
            String createdBy, Instant createdAt, Instant updatedAt) {

        Row withState(DeploymentState newState, String reason) {
            return new Row(id, name, tenantId, model, servedModelName, target, runtime, vendor, acceleratorType, acceleratorsPerReplica,
                    nodesPerReplica, precision, contextLength, replicas, costAmount, costCurrency, newState, reason, fit, generation, createdBy,
                    createdAt, updatedAt);
        }

        DeploymentSpec spec(String weights, int tensorParallelSize) {
            return new DeploymentSpec(id, name, generation, tenantId, model, servedModelName, weights, runtime, vendor, acceleratorType,
                    acceleratorsPerReplica, nodesPerReplica, tensorParallelSize, precision, contextLength, replicas);
        }
    }

    /** A replica row; {@code updatedAt} of a DRAINING one is when it began to drain. */
    record Replica(UUID id, UUID deploymentId, int ordinal, String state, String endpoint, String handle, int accelerators, int restarts,
            String message, Instant startedAt, Instant readyAt, Instant stoppedAt, Instant updatedAt) {

        DeploymentView.ReplicaView view() {
            return new DeploymentView.ReplicaView(id, ordinal, state, endpoint, handle, accelerators, restarts, message, startedAt, readyAt,
                    stoppedAt);
        }
    }

    private static final String COLUMNS = """
            id, name, tenant_id, model, served_model_name, target, runtime, accelerator_vendor, accelerator_type,
            accelerators_per_replica, nodes_per_replica, precision, context_length, replicas, cost_per_accelerator_hour, cost_currency,
            state, state_reason, fit::text AS fit, generation, created_by, created_at, updated_at""";

    private static final String REPLICA_COLUMNS = """
            id, deployment_id, ordinal, state, endpoint, handle, accelerators, restarts, message, started_at, ready_at, stopped_at, updated_at""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DeploymentRows(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(UUID id, Plan plan, String fitJson, String createdBy) {
        jdbc.sql("""
                        INSERT INTO deployment (id, name, tenant_id, model, served_model_name, target, runtime, accelerator_vendor,
                            accelerator_type, accelerators_per_replica, nodes_per_replica, precision, context_length, replicas,
                            cost_per_accelerator_hour, cost_currency, fit, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")
                .params(id, plan.name(), plan.tenantId(), plan.model(), plan.servedModelName(), plan.target(), plan.runtime().id(),
                        plan.vendor(), plan.acceleratorType(), plan.acceleratorsPerReplica(), plan.nodesPerReplica(), plan.precision(),
                        plan.contextLength(), plan.replicas(), plan.cost() == null ? null : plan.cost().amount(),
                        plan.cost() == null ? null : plan.cost().currency(), fitJson, createdBy)
                .update();
    }

    boolean nameInUse(String name) {
        return jdbc.sql("SELECT count(*) FROM deployment WHERE name = ? AND state <> 'DELETED'").param(name).query(Long.class).single() > 0;
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM deployment WHERE id = ?").param(id).query(DeploymentRows::row).optional();
    }

    /** Deployments of one tenant, or all when {@code tenantId} is null; newest first. */
    List<Row> list(UUID tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM deployment WHERE (CAST(? AS uuid) IS NULL OR tenant_id = ?) ORDER BY created_at DESC")
                .params(tenantId, tenantId).query(DeploymentRows::row).list();
    }

    /** What the reconciler works on: every deployment that is not DELETED. */
    List<Row> active() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM deployment WHERE state <> 'DELETED' ORDER BY created_at").query(DeploymentRows::row).list();
    }

    void setReplicas(UUID id, int replicas) {
        jdbc.sql("UPDATE deployment SET replicas = ?, generation = generation + 1, updated_at = now() WHERE id = ?").params(replicas, id).update();
    }

    void setCost(UUID id, DeploymentRequest.Money cost) {
        jdbc.sql("UPDATE deployment SET cost_per_accelerator_hour = ?, cost_currency = ?, updated_at = now() WHERE id = ?")
                .params(cost.amount(), cost.currency(), id).update();
    }

    void markDeleting(UUID id) {
        jdbc.sql("UPDATE deployment SET state = 'DELETING', state_reason = NULL, generation = generation + 1, updated_at = now() WHERE id = ?")
                .param(id).update();
    }

    /**
     * Sets the state the reconciler derived from generation {@code generation} of the deployment; false when the
     * deployment has moved on since (deleted, scaled), so that a pass that read it before never overwrites a newer
     * intent, such as DELETING with READY. The next pass derives the state again.
     */
    boolean setState(UUID id, long generation, DeploymentState state, String reason) {
        return jdbc.sql("""
                        UPDATE deployment SET state = ?, state_reason = ?, updated_at = now(),
                            deleted_at = CASE WHEN ? = 'DELETED' THEN now() ELSE deleted_at END
                        WHERE id = ? AND generation = ?""")
                .params(state.name(), reason, state.name(), id, generation).update() == 1;
    }

    /** Replicas not STOPPED, by ordinal. */
    List<Replica> liveReplicas(UUID deploymentId) {
        return jdbc.sql("SELECT " + REPLICA_COLUMNS + " FROM deployment_replica WHERE deployment_id = ? AND state <> 'STOPPED' ORDER BY ordinal")
                .param(deploymentId).query(DeploymentRows::replica).list();
    }

    UUID insertReplica(UUID deploymentId, int ordinal, String state, String handle, String endpoint, int accelerators, int restarts,
            String message, Instant startedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO deployment_replica (id, deployment_id, ordinal, state, handle, endpoint, accelerators, restarts, message,
                            started_at, ready_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'READY' THEN now() END)""")
                .params(id, deploymentId, ordinal, state, handle, endpoint, accelerators, restarts, message, timestamp(startedAt), state)
                .update();
        return id;
    }

    /** A replica's latest observation; {@code ready_at} is set when it first becomes READY. */
    void updateReplica(UUID id, String state, String endpoint, int restarts, String message, Instant startedAt) {
        jdbc.sql("""
                        UPDATE deployment_replica SET state = ?, endpoint = ?, restarts = ?, message = ?, started_at = ?,
                            ready_at = CASE WHEN ? = 'READY' THEN coalesce(ready_at, now()) ELSE ready_at END, updated_at = now()
                        WHERE id = ?""")
                .params(state, endpoint, restarts, message, timestamp(startedAt), state, id).update();
    }

    void drainReplica(UUID id) {
        jdbc.sql("UPDATE deployment_replica SET state = 'DRAINING', updated_at = now() WHERE id = ?").param(id).update();
    }

    void stopReplica(UUID id, String message) {
        jdbc.sql("UPDATE deployment_replica SET state = 'STOPPED', stopped_at = now(), message = ?, updated_at = now() WHERE id = ?")
                .params(message, id).update();
    }

    List<Replica> replicas(UUID deploymentId) {
        return jdbc.sql("SELECT " + REPLICA_COLUMNS + " FROM deployment_replica WHERE deployment_id = ? ORDER BY created_at")
                .param(deploymentId).query(DeploymentRows::replica).list();
    }

    void event(UUID deploymentId, UUID replicaId, boolean warning, String reason, String message) {
        jdbc.sql("INSERT INTO deployment_event (deployment_id, replica_id, type, reason, message) VALUES (?, ?, ?, ?, ?)")
                .params(deploymentId, replicaId, warning ? "Warning" : "Normal", reason, message).update();
    }

    List<DeploymentView.EventView> events(UUID deploymentId) {
        return jdbc.sql("SELECT id, occurred_at, type, reason, message, replica_id FROM deployment_event WHERE deployment_id = ? ORDER BY id")
                .param(deploymentId)
                .query((rs, n) -> new DeploymentView.EventView(rs.getLong("id"), instant(rs, "occurred_at"), rs.getString("type"),
                        rs.getString("reason"), rs.getString("message"), rs.getObject("replica_id", UUID.class)))
                .list();
    }

    DeploymentView view(Row row) {
        List<Replica> live = liveReplicas(row.id());
        int ready = (int) live.stream().filter(r -> r.state().equals("READY")).count();
        JsonNode fit = row.fit() == null ? null : json.readTree(row.fit());
        return new DeploymentView(row.id(), row.name(), row.tenantId(), row.model(), row.servedModelName(), row.target(), row.runtime(),
                new DeploymentView.Accelerator(row.vendor(), row.acceleratorType(), row.acceleratorsPerReplica(), row.nodesPerReplica()),
                row.precision(), row.contextLength(), new DeploymentView.Replicas(row.replicas(), ready),
                row.costAmount() == null ? null : new DeploymentRequest.Money(row.costAmount(), row.costCurrency()), row.state(),
                row.stateReason(), fit, row.generation(), row.createdBy(), row.createdAt(), row.updatedAt(),
                live.stream().map(Replica::view).toList());
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getObject("tenant_id", UUID.class), rs.getString("model"),
                rs.getString("served_model_name"), rs.getString("target"), rs.getString("runtime"), rs.getString("accelerator_vendor"),
                rs.getString("accelerator_type"), rs.getInt("accelerators_per_replica"), rs.getInt("nodes_per_replica"),
                rs.getString("precision"), rs.getInt("context_length"), rs.getInt("replicas"), rs.getBigDecimal("cost_per_accelerator_hour"),
                rs.getString("cost_currency"), DeploymentState.valueOf(rs.getString("state")), rs.getString("state_reason"),
                rs.getString("fit"), rs.getLong("generation"), rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Replica replica(ResultSet rs, int n) throws SQLException {
        return new Replica(rs.getObject("id", UUID.class), rs.getObject("deployment_id", UUID.class), rs.getInt("ordinal"),
                rs.getString("state"), rs.getString("endpoint"), rs.getString("handle"), rs.getInt("accelerators"), rs.getInt("restarts"),
                rs.getString("message"), instant(rs, "started_at"), instant(rs, "ready_at"), instant(rs, "stopped_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
