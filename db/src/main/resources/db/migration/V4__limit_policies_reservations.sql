-- Admission limits and the money / budget reservations that make them exact across gateway replicas.

-- A limit policy binds a tenant (api_key_id NULL) or one API key, for every model (model NULL) or
-- one model. Every column NULL: unlimited. Written by tenant-service (PUT .../limits), read by every
-- gateway replica at least every platform.gateway.admission.policy-cache-ttl.
CREATE TABLE limit_policy (
    tenant_id               uuid        NOT NULL REFERENCES tenant (id),
    api_key_id              uuid        REFERENCES api_key (id),
    model                   text,
    requests_per_minute     bigint      CHECK (requests_per_minute >= 0),
    tokens_per_minute       bigint      CHECK (tokens_per_minute >= 0),
    max_concurrent_requests bigint      CHECK (max_concurrent_requests >= 0),
    daily_tokens            bigint      CHECK (daily_tokens >= 0),
    monthly_tokens          bigint      CHECK (monthly_tokens >= 0),
    monthly_spend_limit     numeric     CHECK (monthly_spend_limit >= 0),
    monthly_spend_currency  text        CHECK (monthly_spend_currency IN ('CNY', 'USD')),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK ((monthly_spend_limit IS NULL) = (monthly_spend_currency IS NULL)),
    UNIQUE NULLS NOT DISTINCT (tenant_id, api_key_id, model)
);

-- What admitted, unsettled requests may still cost: their worst-case tokens (prompt upper bound +
-- output cap) and amount (at the highest price that can apply before their lease ends). Written by
-- the gateway under a per-tenant advisory lock together with the check against the ledger, deleted
-- after the request's usage record committed; a row past expires_at (a crashed gateway) no longer
-- counts and is deleted by the next admission of its tenant.
CREATE TABLE admission_reservation (
    request_id  text        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenant (id),
    api_key_id  uuid        NOT NULL,
    model       text        NOT NULL,
    tokens      bigint      NOT NULL CHECK (tokens >= 0),
    currency    text        NOT NULL,
    amount      numeric     NOT NULL CHECK (amount >= 0),
    reserved_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX admission_reservation_tenant ON admission_reservation (tenant_id, expires_at);
