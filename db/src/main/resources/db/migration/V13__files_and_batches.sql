-- OpenAI's Files and Batch APIs at the gateway (/v1/files, /v1/batches). A file's bytes live in the
-- gateway's file store (a directory, or an object store behind the same interface); its row here says
-- whose it is and what it holds. A batch copies its input file's lines into batch_line when it is
-- created, so it runs on even if the file is deleted, and records each line's result there as it
-- runs: a gateway that restarts resumes a batch at its first line without a result.
CREATE TABLE batch_file (
    id          text        PRIMARY KEY,
    seq         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE, -- list order, newest first (created_at ties)
    tenant_id   uuid        NOT NULL REFERENCES tenant (id),
    purpose     text        NOT NULL CHECK (purpose IN ('batch', 'batch_output')),
    filename    text        NOT NULL,
    bytes       bigint      NOT NULL CHECK (bytes >= 0),
    created_at  timestamptz NOT NULL
);
CREATE INDEX batch_file_tenant ON batch_file (tenant_id, seq DESC);

-- status: OpenAI's validating | failed | in_progress | finalizing | completed | expired | cancelling | cancelled.
-- run_sooner: the tenant asked for the batch to run as soon as engines have room, not in the
-- off-peak tiers of its price book (and pays online prices for it).
CREATE TABLE batch (
    id                text        PRIMARY KEY,
    seq               bigint      GENERATED ALWAYS AS IDENTITY UNIQUE, -- list order, newest first
    tenant_id         uuid        NOT NULL REFERENCES tenant (id),
    api_key_id        uuid        NOT NULL REFERENCES api_key (id),
    endpoint          text        NOT NULL,
    input_file_id     text        NOT NULL,
    completion_window text        NOT NULL,
    run_sooner        boolean     NOT NULL,
    status            text        NOT NULL CHECK (status IN ('validating', 'failed', 'in_progress', 'finalizing', 'completed',
                                                             'expired', 'cancelling', 'cancelled')),
    metadata          jsonb,
    errors            jsonb,
    output_file_id    text,
    error_file_id     text,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    in_progress_at    timestamptz,
    finalizing_at     timestamptz,
    completed_at      timestamptz,
    failed_at         timestamptz,
    expired_at        timestamptz,
    cancelling_at     timestamptz,
    cancelled_at      timestamptz
);
CREATE INDEX batch_tenant ON batch (tenant_id, seq DESC);
CREATE INDEX batch_open ON batch (seq) WHERE status IN ('in_progress', 'finalizing', 'cancelling');

-- One request of a batch. status: PENDING (not run yet), RUNNING (claimed by a gateway at claimed_at,
-- FOR UPDATE SKIP LOCKED, so by one), SUCCEEDED / FAILED (result is its line of the output or error
-- file), EXPIRED (the window closed before it ran), CANCELLED (the batch was cancelled before it ran).
-- A RUNNING line whose claim is older than the request deadline belongs to a gateway that died and is
-- claimed again.
CREATE TABLE batch_line (
    batch_id    text        NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    line_no     integer     NOT NULL,
    custom_id   text        NOT NULL,
    model       text        NOT NULL,
    body        text        NOT NULL,
    status      text        NOT NULL DEFAULT 'PENDING'
                            CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED')),
    request_id  text,
    claimed_at  timestamptz,
    result      text,
    PRIMARY KEY (batch_id, line_no),
    UNIQUE (batch_id, custom_id)
);
CREATE INDEX batch_line_todo ON batch_line (batch_id, line_no) WHERE status IN ('PENDING', 'RUNNING');

-- A journalled request's price class, so that a batch's request billed by the sweeper (its gateway
-- died) is priced as a batch request.
ALTER TABLE request_journal ADD COLUMN price_class text NOT NULL DEFAULT 'ONLINE' CHECK (price_class IN ('ONLINE', 'BATCH'));
