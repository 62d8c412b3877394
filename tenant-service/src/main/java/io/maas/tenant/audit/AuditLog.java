package io.maas.tenant.audit;

import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CurrentCaller;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one audit event per change made through the API: who (user and role), what (action and
 * target), when, and the state before and after as JSON. Called inside the transaction of the
 * change, so an event exists exactly when the change does. Secrets never reach it: API keys are
 * audited by prefix, passwords not at all.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A change by the caller of the current request. {@code before} is null for a creation. */
    public void record(String action, UUID tenantId, String target, Object before, Object after) {
        Caller caller = CurrentCaller.get();
        write(caller.username(), caller.role().name(), action, tenantId, target, before, after);
    }

    /** A change made by the service itself (start-up bootstrap). */
    public void recordBySystem(String action, UUID tenantId, String target, Object after) {
        write("system", "SYSTEM", action, tenantId, target, null, after);
    }

    private void write(String actor, String role, String action, UUID tenantId, String target, Object before, Object after) {
        jdbc.sql("""
                        INSERT INTO audit_event (actor, actor_role, action, tenant_id, target, before, after)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""")
                .params(actor, role, action, tenantId, target, toJson(before), toJson(after))
                .update();
    }

    private String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }
}
