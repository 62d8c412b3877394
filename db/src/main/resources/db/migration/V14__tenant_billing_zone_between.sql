-- The zone a tenant bills in at every instant of [p_from, p_to], NULL when its zone changes in between
-- (tenant_billing_zone's rule: the zone of its latest row with effective_from <= t, so the zone is the
-- same throughout when no row takes effect after p_from and by p_to). A batch of usage records cuts its
-- roll-up days with one zone lookup per tenant instead of one per record (tenant_billing_day). PL/pgSQL,
-- so its plans are kept by the session rather than made again by every statement that calls it.
CREATE FUNCTION tenant_billing_zone_between(p_tenant uuid, p_from timestamptz, p_to timestamptz) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM billing_zone_change z
               WHERE z.tenant_id = p_tenant AND z.effective_from > p_from AND z.effective_from <= p_to) THEN
        RETURN NULL;
    END IF;
    RETURN tenant_billing_zone(p_tenant, p_from);
END $$;
