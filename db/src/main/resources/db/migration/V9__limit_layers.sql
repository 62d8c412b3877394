-- Limits layered by who set them: the platform's (PLATFORM_ADMIN) and the tenant's own (TENANT_ADMIN)
-- are separate rows of one scope. A tenant writes, replaces and removes only its own layer, and may
-- only tighten; gateways enforce the tighter of both, field by field.
ALTER TABLE limit_policy ADD COLUMN layer text NOT NULL DEFAULT 'PLATFORM' CHECK (layer IN ('PLATFORM', 'TENANT'));

-- Rows written before: their layer is the role of whoever set them last, as the audit log says.
UPDATE limit_policy p SET layer = 'TENANT'
WHERE (SELECT e.actor_role FROM audit_event e
       WHERE e.action = 'limits.set'
         AND e.target = CASE WHEN p.api_key_id IS NULL THEN 'tenant/' || p.tenant_id ELSE 'api-key/' || p.api_key_id END
                        || '/limits' || COALESCE('?model=' || p.model, '')
       ORDER BY e.id DESC LIMIT 1) = 'TENANT_ADMIN';

ALTER TABLE limit_policy DROP CONSTRAINT limit_policy_tenant_id_api_key_id_model_key;
ALTER TABLE limit_policy ADD UNIQUE NULLS NOT DISTINCT (tenant_id, api_key_id, model, layer);
