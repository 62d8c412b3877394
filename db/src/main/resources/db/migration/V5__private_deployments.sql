-- Private deployments: the admin's desired state (deployment), what runs (deployment_replica, written
-- by tenant-service's reconciler and read by every gateway as its routing registry), what happened
-- (deployment_event, as `kubectl describe` shows it), and which deployment served each request.

CREATE TABLE deployment (
    id                        uuid        PRIMARY KEY,
    name                      text        NOT NULL CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    tenant_id                 uuid        REFERENCES tenant (id),          -- NULL: shared by every tenant
    model                     text        NOT NULL,                        -- catalog id
    served_model_name         text        NOT NULL,                        -- what clients put in "model"
    target                    text        NOT NULL CHECK (target IN ('local', 'kubernetes')),
    runtime                   text        NOT NULL CHECK (runtime IN ('llamacpp', 'simulated', 'vllm', 'vllm-ascend', 'mindie', 'vllm-kunlun')),
    accelerator_vendor        text        NOT NULL,                        -- nvidia | ascend | kunlun | cpu
    accelerator_type          text,                                        -- h100, h200, 910b, p800, … (NULL on cpu)
    accelerators_per_replica  int         NOT NULL CHECK (accelerators_per_replica >= 0),
    nodes_per_replica         int         NOT NULL DEFAULT 1 CHECK (nodes_per_replica >= 1),
    precision                 text        NOT NULL,
    context_length            int         NOT NULL CHECK (context_length > 0),
    replicas                  int         NOT NULL CHECK (replicas >= 0),  -- desired
    cost_per_accelerator_hour numeric     CHECK (cost_per_accelerator_hour >= 0),
    cost_currency             text,
    state                     text        NOT NULL DEFAULT 'PENDING'
        CHECK (state IN ('PENDING', 'PROVISIONING', 'STARTING', 'READY', 'DEGRADED', 'FAILED', 'DELETING', 'DELETED')),
    state_reason              text,                                        -- why FAILED/DEGRADED: fit, image, crash loop, startup timeout
    fit                       jsonb,                                       -- the fit report (and one-click's choice) it was created with
    generation                bigint      NOT NULL DEFAULT 1,              -- bumped by every change of the desired state
    created_by                text        NOT NULL,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    deleted_at                timestamptz,
    CHECK ((cost_per_accelerator_hour IS NULL) = (cost_currency IS NULL))
);
-- A name is unique among deployments that are not deleted; a deleted one frees its name.
CREATE UNIQUE INDEX deployment_name_live ON deployment (name) WHERE state <> 'DELETED';
CREATE INDEX deployment_served_name ON deployment (served_model_name) WHERE state <> 'DELETED';
CREATE INDEX deployment_tenant ON deployment (tenant_id);

-- One row per replica incarnation: a replica that is restarted keeps its row (restarts counted); one
-- that is removed by a scale-down or a delete gets stopped_at and is never reused, so the rows are
-- also the replica-hours that economics reads (ready_at to stopped_at, or now while it runs).
CREATE TABLE deployment_replica (
    id             uuid        PRIMARY KEY,
    deployment_id  uuid        NOT NULL REFERENCES deployment (id),
    ordinal        int         NOT NULL CHECK (ordinal >= 0),
    state          text        NOT NULL DEFAULT 'PENDING'
        CHECK (state IN ('PENDING', 'STARTING', 'READY', 'DRAINING', 'FAILED', 'STOPPED')),
    endpoint       text,                                                   -- base URL the gateway calls, once known
    handle         text,                                                   -- provisioner's own id: a pid, a pod name
    accelerators   int         NOT NULL CHECK (accelerators >= 0),         -- counted into accelerator-hours
    restarts       int         NOT NULL DEFAULT 0,
    message        text,                                                   -- the last progress or error line
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    ready_at       timestamptz,
    stopped_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'STOPPED') = (stopped_at IS NOT NULL))
);
-- At most one live replica per ordinal.
CREATE UNIQUE INDEX deployment_replica_live ON deployment_replica (deployment_id, ordinal) WHERE state <> 'STOPPED';
CREATE INDEX deployment_replica_deployment ON deployment_replica (deployment_id, created_at);

CREATE TABLE deployment_event (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment_id  uuid        NOT NULL REFERENCES deployment (id),
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    type           text        NOT NULL CHECK (type IN ('Normal', 'Warning')),
    reason         text        NOT NULL,                                   -- CamelCase, as Kubernetes: Scheduled, Started, Ready, BackOff…
    message        text        NOT NULL,
    replica_id     uuid        REFERENCES deployment_replica (id)
);
CREATE INDEX deployment_event_deployment ON deployment_event (deployment_id, id);

-- Which deployment and replica served a request (NULL for static routes from configuration).
ALTER TABLE usage_record ADD COLUMN deployment_id uuid;
ALTER TABLE usage_record ADD COLUMN replica_id uuid;
ALTER TABLE usage_ledger ADD COLUMN deployment_id uuid;

-- Revenue per deployment and day (UTC), kept by the gateway in the usage record's transaction like
-- usage_daily, so that economics never scans the ledger.
CREATE TABLE deployment_daily (
    deployment_id      uuid    NOT NULL REFERENCES deployment (id),
    day                date    NOT NULL,
    tier               text    NOT NULL,
    currency           text    NOT NULL,
    requests           bigint  NOT NULL,
    cache_hit_tokens   bigint  NOT NULL,
    cache_miss_tokens  bigint  NOT NULL,
    output_tokens      bigint  NOT NULL,
    amount             numeric NOT NULL,
    PRIMARY KEY (deployment_id, day, tier, currency)
);
