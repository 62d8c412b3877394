package io.maas.tenant.audit;

import io.maas.tenant.system.CurrentCaller;
import io.maas.api.tenant.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /api/v1/audit-events}: the audit log, newest first; {@code PLATFORM_ADMIN} only. */
@RestController
class AuditController {

    record AuditEvent(long id, Instant occurredAt, String actor, String actorRole, String action, UUID tenantId,
                      String target, JsonNode before, JsonNode after) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditController(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/api/v1/audit-events")
    List<AuditEvent> list(@RequestParam(required = false) UUID tenantId, @RequestParam(required = false) String actor,
                          @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                          @RequestParam(defaultValue = "100") int limit) {
        CurrentCaller.get().require(Role.PLATFORM_ADMIN);
        return jdbc.sql("""
                        SELECT id, occurred_at, actor, actor_role, action, tenant_id, target, before::text, after::text
                        FROM audit_event
                        WHERE (CAST(:tenant AS uuid) IS NULL OR tenant_id = :tenant)
                          AND (CAST(:actor AS text) IS NULL OR actor = :actor)
                          AND (CAST(:from AS timestamptz) IS NULL OR occurred_at >= :from)
                          AND (CAST(:to AS timestamptz) IS NULL OR occurred_at < :to)
                        ORDER BY id DESC LIMIT :limit""")
                .param("tenant", tenantId).param("actor", actor)
                .param("from", from == null ? null : java.sql.Timestamp.from(from))
                .param("to", to == null ? null : java.sql.Timestamp.from(to))
                .param("limit", Math.clamp(limit, 1, 1000))
                .query((rs, n) -> new AuditEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7), tree(rs.getString(8)), tree(rs.getString(9))))
                .list();
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }
}
