-- The tenant's calendar: every tenant bills in a time zone (its days and months cut its roll-ups,
-- statements, budgets and balance days), by default the platform's. A change of zone takes effect
-- at a month boundary, so each month is cut in one zone and past statements never change.

-- The platform's billing zone: the zone of every tenant created from now on. tenant-service writes
-- its configured value (platform.billing.default-zone) here at start-up.
CREATE TABLE platform_billing (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    default_zone text    NOT NULL
);
INSERT INTO platform_billing (default_zone) VALUES ('Asia/Shanghai');

-- A tenant's zones over time: the zone in force at instant t is that of its latest row with
-- effective_from <= t. Its first row is effective from -infinity; later rows from the instant its
-- previous zone's month ended (never earlier than the new zone's month start, see
-- TenantBillingZones in tenant-service), so months never overlap and never leave a gap.
CREATE TABLE billing_zone_change (
    tenant_id      uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    effective_from timestamptz NOT NULL,
    zone           text        NOT NULL,
    created_by     text        NOT NULL DEFAULT 'platform',
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, effective_from)
);

-- The zone a tenant bills in at p_at (the platform's for a tenant without rows).
CREATE FUNCTION tenant_billing_zone(p_tenant uuid, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT z.zone FROM billing_zone_change z
                     WHERE z.tenant_id = p_tenant AND z.effective_from <= p_at
                     ORDER BY z.effective_from DESC LIMIT 1),
                    (SELECT default_zone FROM platform_billing))
$$;

-- The tenant's calendar day of p_at: what usage_daily.day means; its month is that day's month.
CREATE FUNCTION tenant_billing_day(p_tenant uuid, p_at timestamptz) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT (p_at AT TIME ZONE tenant_billing_zone(p_tenant, p_at))::date
$$;

-- The first instant of the tenant's day p_day (of its month, for the first day of a month): the
-- earliest instant whose tenant_billing_day is p_day. At a change of zone a day may begin in the
-- old zone and continue in the new one; it begins where it first appears.
CREATE FUNCTION tenant_day_start(p_tenant uuid, p_day date) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    span   record;
    starts timestamptz;
    ends   timestamptz;
BEGIN
    FOR span IN
        SELECT zone, effective_from, lead(effective_from, 1, 'infinity') OVER (ORDER BY effective_from) AS until
        FROM (SELECT z.zone, z.effective_from FROM billing_zone_change z WHERE z.tenant_id = p_tenant
              UNION ALL
              SELECT p.default_zone, '-infinity' FROM platform_billing p
              WHERE NOT EXISTS (SELECT 1 FROM billing_zone_change z WHERE z.tenant_id = p_tenant)) zones
        ORDER BY effective_from
    LOOP
        starts := p_day::timestamp AT TIME ZONE span.zone;
        ends := (p_day + 1)::timestamp AT TIME ZONE span.zone;
        IF starts < span.until AND ends > span.effective_from THEN
            RETURN greatest(starts, span.effective_from);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

-- Every new tenant starts in the platform's zone of the moment, so that a later change of the
-- platform's zone never re-cuts an existing tenant's months.
CREATE FUNCTION tenant_billing_zone_from_platform() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO billing_zone_change (tenant_id, effective_from, zone)
    SELECT NEW.id, '-infinity', p.default_zone FROM platform_billing p;
    RETURN NEW;
END $$;
CREATE TRIGGER tenant_billing_zone AFTER INSERT ON tenant
    FOR EACH ROW EXECUTE FUNCTION tenant_billing_zone_from_platform();

-- Existing tenants bill in the platform's zone, their history included: the roll-ups, cut at UTC
-- midnight until now, are rebuilt from the ledger (which keeps every request's instant) by the
-- tenants' days, so every request lands in the day and month its tenant lived it in.
INSERT INTO billing_zone_change (tenant_id, effective_from, zone)
SELECT t.id, '-infinity', p.default_zone FROM tenant t CROSS JOIN platform_billing p;

DELETE FROM usage_daily;
INSERT INTO usage_daily (tenant_id, day, model, tier, currency, requests, cache_hit_tokens, cache_miss_tokens, output_tokens,
                         cache_hit_amount, cache_miss_amount, output_amount, amount)
SELECT l.tenant_id, (l.occurred_at AT TIME ZONE z.zone)::date, l.model, l.tier, l.currency, count(*),
       sum(l.cache_hit_tokens), sum(l.cache_miss_tokens), sum(l.output_tokens),
       sum(l.cache_hit_amount), sum(l.cache_miss_amount), sum(l.output_amount), sum(l.amount)
FROM usage_ledger l JOIN billing_zone_change z ON z.tenant_id = l.tenant_id
GROUP BY 1, 2, 3, 4, 5;

-- tenant_balance (V3) with credits counted from the tenant's day they were made, the same days as
-- the roll-up's charges and the grants' expires_on; p_through is a tenant day.
CREATE OR REPLACE FUNCTION tenant_balance(p_tenant uuid, p_currency text, p_through date,
                                          OUT granted numeric, OUT topped_up numeric)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    grant_left    numeric[] := '{}';
    grant_expires date[]    := '{}';
    topped        numeric   := 0;
    due           numeric;
    take          numeric;
    i             bigint;
    event         record;
BEGIN
    FOR event IN
        SELECT day, kind, amount, expires_on
        FROM (SELECT tenant_billing_day(p_tenant, created_at) AS day, kind, amount, expires_on, 0 AS rank, created_at
              FROM balance_credit
              WHERE tenant_id = p_tenant AND currency = p_currency AND tenant_billing_day(p_tenant, created_at) <= p_through
              UNION ALL
              SELECT day, 'CHARGE', sum(amount), NULL, 1, NULL
              FROM usage_daily
              WHERE tenant_id = p_tenant AND currency = p_currency AND day <= p_through
              GROUP BY day) events
        ORDER BY day, rank, created_at
    LOOP
        IF event.kind = 'TOP_UP' THEN
            topped := topped + event.amount;
        ELSIF event.kind = 'GRANT' THEN
            grant_left := grant_left || event.amount;
            grant_expires := grant_expires || event.expires_on;
        ELSE
            due := event.amount;
            FOR i IN SELECT g.idx FROM unnest(grant_expires) WITH ORDINALITY AS g(expires_on, idx)
                     WHERE g.expires_on IS NULL OR g.expires_on >= event.day
                     ORDER BY g.expires_on NULLS LAST, g.idx
            LOOP
                EXIT WHEN due <= 0;
                take := least(due, grant_left[i]);
                grant_left[i] := grant_left[i] - take;
                due := due - take;
            END LOOP;
            topped := topped - due;
        END IF;
    END LOOP;
    granted := coalesce((SELECT sum(g.amount) FROM unnest(grant_left, grant_expires) AS g(amount, expires_on)
                         WHERE g.expires_on IS NULL OR g.expires_on >= p_through), 0);
    topped_up := topped;
END $$;

-- The catalog model that a served name stands for when p_tenant calls it: the model of the
-- deployment serving that name to the tenant (its own before a shared one, a live one before a
-- deleted one, whose spooled requests may still settle); NULL when the name is no deployment's.
-- A price book prices catalog models; a served name is priced as its catalog model unless the book
-- names it itself (io.maas.pricing.PriceBook#pricedAs).
CREATE FUNCTION served_model_catalog(p_tenant uuid, p_served text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT d.model FROM deployment d
    WHERE d.served_model_name = p_served AND (d.tenant_id IS NULL OR d.tenant_id = p_tenant)
    ORDER BY d.state = 'DELETED', d.tenant_id NULLS LAST, d.created_at DESC
    LIMIT 1
$$;
