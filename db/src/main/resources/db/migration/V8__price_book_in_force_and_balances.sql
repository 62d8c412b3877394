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
