-- Rules that the gateway and tenant-service both need, written once here and called by both.

-- The price book in force for a tenant: the book assigned to it, else the platform default; NULL
-- when neither exists.
CREATE FUNCTION price_book_in_force(p_tenant uuid) RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT t.price_book_id FROM tenant t WHERE t.id = p_tenant),
                    (SELECT d.id FROM price_book d WHERE d.platform_default))
$$;

-- A tenant's balance in every currency it has one in (tenant_currencies), by tenant_balance's rule,
-- through p_through; CNY alone, at zero, when it has neither credits nor priced usage.
CREATE FUNCTION tenant_balances(p_tenant uuid, p_through date)
RETURNS TABLE (currency text, granted numeric, topped_up numeric)
LANGUAGE sql STABLE AS $$
    SELECT c.currency, b.granted, b.topped_up
    FROM (SELECT tc AS currency FROM tenant_currencies(p_tenant) AS tc
          UNION ALL
          SELECT 'CNY' WHERE NOT EXISTS (SELECT 1 FROM tenant_currencies(p_tenant))) c
    CROSS JOIN LATERAL tenant_balance(p_tenant, c.currency, p_through) b
    ORDER BY c.currency
$$;

-- Every request a gateway admitted, written before the engine is called and deleted in the transaction
-- that writes its usage record. An entry older than the request deadline (plus the receipt wait) with
-- no usage record belongs to a gateway that died with the request in flight (kill -9, OOM): a sweeper
-- on any replica claims it (FOR UPDATE SKIP LOCKED, so once), asks the engines for the request's
-- receipt and bills it.
CREATE TABLE request_journal (
    request_id  text        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenant (id),
    api_key_id  uuid        NOT NULL REFERENCES api_key (id),
    model       text        NOT NULL,
    endpoints   text[]      NOT NULL,
    stream      boolean     NOT NULL,
    started_at  timestamptz NOT NULL
);
CREATE INDEX request_journal_started ON request_journal (started_at);

-- A request whose gateway died before recording it, billed by the sweeper from the engine's receipt.
ALTER TABLE usage_record DROP CONSTRAINT usage_record_outcome_check;
ALTER TABLE usage_record ADD CONSTRAINT usage_record_outcome_check
    CHECK (outcome IN ('COMPLETED', 'CLIENT_CANCELLED', 'ENGINE_ERROR', 'GATEWAY_LOST'));
