-- A tenant's balance in one currency, derived from append-only entries only: credits
-- (balance_credit: grants and top-ups) and charges (the daily roll-up of the usage ledger, kept
-- current on every ledger write). Nothing is updated in place; this one function is the rule, used
-- by the gateway (GET /user/balance) and by tenant-service alike.
--
-- The rule, day by day (UTC) through p_through:
--   * a credit counts from the start of the day it was made;
--   * a grant is spendable through the end of its expires_on day (no expires_on: never expires);
--     what is left of it after that day is forfeited, never carried to the top-up balance;
--   * a day's charges are paid from the grants still valid that day, the one expiring first
--     first (never-expiring last; ties in order of creation), and the rest from the topped-up
--     balance, which may go below zero (requests are settled after they ran; postpaid tenants
--     owe it, up to their credit limit).
-- Returns the granted balance left and the topped-up balance, both exact (never rounded here).
CREATE FUNCTION tenant_balance(p_tenant uuid, p_currency text, p_through date,
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
        FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, kind, amount, expires_on, 0 AS rank, created_at
              FROM balance_credit
              WHERE tenant_id = p_tenant AND currency = p_currency AND (created_at AT TIME ZONE 'UTC')::date <= p_through
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

-- The currencies a tenant has a balance in: those of its credits and of its priced usage.
CREATE FUNCTION tenant_currencies(p_tenant uuid) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
    SELECT currency FROM balance_credit WHERE tenant_id = p_tenant
    UNION
    SELECT DISTINCT currency FROM usage_daily WHERE tenant_id = p_tenant AND currency <> 'XXX'
$$;
