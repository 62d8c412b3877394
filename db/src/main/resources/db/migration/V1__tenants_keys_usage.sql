-- Tenants, their API keys, and one usage record per gateway request.

CREATE TABLE tenant (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    status      text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'DEACTIVATED')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A key is stored as the SHA-256 of its secret plus a short visible prefix, never in plaintext.
-- A fast hash is right here: the secrets are 32+ random characters (no dictionary to attack), and
-- the gateway must find a key by its hash on every request.
CREATE TABLE api_key (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenant (id),
    name         text        NOT NULL,
    prefix       text        NOT NULL,
    secret_hash  bytea       NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_key_tenant ON api_key (tenant_id);

-- Written by the gateway once per request, idempotently by request id, before the client sees the
-- end of the response. Token counts are the engine's own.
CREATE TABLE usage_record (
    request_id               text        PRIMARY KEY,
    tenant_id                uuid        NOT NULL REFERENCES tenant (id),
    api_key_id               uuid        NOT NULL REFERENCES api_key (id),
    model                    text        NOT NULL,
    endpoint                 text        NOT NULL,
    stream                   boolean     NOT NULL,
    prompt_tokens            bigint      NOT NULL CHECK (prompt_tokens >= 0),
    prompt_cache_hit_tokens  bigint      NOT NULL CHECK (prompt_cache_hit_tokens >= 0),
    prompt_cache_miss_tokens bigint      NOT NULL CHECK (prompt_cache_miss_tokens >= 0),
    completion_tokens        bigint      NOT NULL CHECK (completion_tokens >= 0),
    reasoning_tokens         bigint      NOT NULL CHECK (reasoning_tokens >= 0),
    started_at               timestamptz NOT NULL,
    completed_at             timestamptz NOT NULL,
    outcome                  text        NOT NULL CHECK (outcome IN ('COMPLETED', 'CLIENT_CANCELLED', 'ENGINE_ERROR')),
    CHECK (prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens),
    CHECK (completed_at >= started_at)
);
CREATE INDEX usage_record_tenant_completed ON usage_record (tenant_id, completed_at);
