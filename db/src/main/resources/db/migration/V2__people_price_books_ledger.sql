-- Control plane of tenant-service: people and roles, managed API keys, versioned price books, the
-- priced usage ledger (partitioned by month) with its daily roll-up, balance credits, audit log.

-- People. PLATFORM_ADMIN and FINANCE belong to no tenant; the three tenant roles to exactly one.
-- Passwords are stored as adaptive (BCrypt) hashes in Spring Security's {id} format.
CREATE TABLE app_user (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('PLATFORM_ADMIN', 'FINANCE', 'TENANT_ADMIN', 'TENANT_FINANCE', 'DEVELOPER')),
    tenant_id     uuid        REFERENCES tenant (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz,
    CHECK ((role IN ('PLATFORM_ADMIN', 'FINANCE')) = (tenant_id IS NULL))
);
CREATE INDEX app_user_tenant ON app_user (tenant_id);

-- Managed keys: who created a key, and which models it may call (NULL: every model).
ALTER TABLE api_key ADD COLUMN owner_id uuid REFERENCES app_user (id);
ALTER TABLE api_key ADD COLUMN allowed_models text[];

-- Price books. A book's versions are appended, never edited; each version is stored as the JSON
-- of io.maas.pricing.PriceBookVersion (PricingJson), the book's deciding instant on the book.
CREATE TABLE price_book (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL UNIQUE,
    deciding_instant text        NOT NULL DEFAULT 'COMPLETION' CHECK (deciding_instant IN ('START', 'COMPLETION')),
    platform_default boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX price_book_one_platform_default ON price_book (platform_default) WHERE platform_default;

CREATE TABLE price_book_version (
    book_id        uuid        NOT NULL REFERENCES price_book (id),
    seq            int         NOT NULL CHECK (seq >= 1),
    version        text        NOT NULL,
    effective_from timestamptz NOT NULL,
    document       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (book_id, seq),
    UNIQUE (book_id, version),
    UNIQUE (book_id, effective_from)
);

-- How a tenant pays, and which book prices it (NULL: the platform default book).
ALTER TABLE tenant ADD COLUMN price_book_id uuid REFERENCES price_book (id);
ALTER TABLE tenant ADD COLUMN billing_mode  text NOT NULL DEFAULT 'POSTPAID' CHECK (billing_mode IN ('PREPAID', 'POSTPAID'));
ALTER TABLE tenant ADD COLUMN credit_limit  numeric CHECK (credit_limit >= 0);

-- The priced usage ledger: one entry per usage_record, written by the gateway in the same
-- transaction as the record (so at most once per request id). Amounts are exact (numeric without
-- scale, never rounded); only statement totals are rounded. Partitioned by month of occurred_at
-- (the request's completion, UTC); partitions are created ahead by ensure_ledger_partitions.
CREATE TABLE usage_ledger (
    request_id         text        NOT NULL,
    occurred_at        timestamptz NOT NULL,
    tenant_id          uuid        NOT NULL,
    api_key_id         uuid        NOT NULL,
    model              text        NOT NULL,
    price_book         text,
    price_book_version text,
    tier               text        NOT NULL,
    priced_at          timestamptz NOT NULL,
    currency           text        NOT NULL,
    cache_hit_tokens   bigint      NOT NULL,
    cache_miss_tokens  bigint      NOT NULL,
    output_tokens      bigint      NOT NULL,
    cache_hit_amount   numeric     NOT NULL,
    cache_miss_amount  numeric     NOT NULL,
    output_amount      numeric     NOT NULL,
    amount             numeric     NOT NULL,
    PRIMARY KEY (request_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- Creates the missing monthly partitions usage_ledger_yYYYYmMM from the month of from_month up to
-- and including the month of through_month. Idempotent; the gateway and tenant-service call it at
-- start-up and daily for the next months, so a write never finds its month missing.
CREATE FUNCTION ensure_ledger_partitions(from_month date, through_month date) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    month   date := date_trunc('month', from_month)::date;
    created int  := 0;
    name    text;
BEGIN
    WHILE month <= date_trunc('month', through_month)::date LOOP
        name := format('usage_ledger_y%sm%s', to_char(month, 'YYYY'), to_char(month, 'MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF usage_ledger FOR VALUES FROM (%L) TO (%L)',
                           name, month::timestamp AT TIME ZONE 'UTC', (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            EXECUTE format('CREATE INDEX %I ON %I (tenant_id, occurred_at)', name || '_tenant', name);
            created := created + 1;
        END IF;
        month := (month + interval '1 month')::date;
    END LOOP;
    RETURN created;
END $$;

SELECT ensure_ledger_partitions(date '2025-01-01', (now() AT TIME ZONE 'UTC' + interval '3 months')::date);

-- Daily roll-up of the ledger, kept current in the same transaction as every ledger write
-- (INSERT … ON CONFLICT DO UPDATE adding tokens and exact amounts), so statements never scan the
-- ledger. day is the UTC date of occurred_at.
CREATE TABLE usage_daily (
    tenant_id          uuid    NOT NULL,
    day                date    NOT NULL,
    model              text    NOT NULL,
    tier               text    NOT NULL,
    currency           text    NOT NULL,
    requests           bigint  NOT NULL,
    cache_hit_tokens   bigint  NOT NULL,
    cache_miss_tokens  bigint  NOT NULL,
    output_tokens      bigint  NOT NULL,
    cache_hit_amount   numeric NOT NULL,
    cache_miss_amount  numeric NOT NULL,
    output_amount      numeric NOT NULL,
    amount             numeric NOT NULL,
    PRIMARY KEY (tenant_id, day, model, tier, currency)
);

-- Grants and top-ups: append-only credits to a tenant's balance (corrections are new entries).
CREATE TABLE balance_credit (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenant (id),
    kind        text        NOT NULL CHECK (kind IN ('GRANT', 'TOP_UP')),
    currency    text        NOT NULL,
    amount      numeric     NOT NULL CHECK (amount > 0),
    expires_on  date,
    note        text,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'GRANT' OR expires_on IS NULL)
);
CREATE INDEX balance_credit_tenant ON balance_credit (tenant_id, created_at);

-- Every write by an admin or finance user: who, what, when, before → after (JSON).
CREATE TABLE audit_event (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    actor_role  text        NOT NULL,
    action      text        NOT NULL,
    tenant_id   uuid,
    target      text        NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_event_time ON audit_event (occurred_at);
