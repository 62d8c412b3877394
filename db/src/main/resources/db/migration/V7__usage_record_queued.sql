-- How long a request waited in the gateway's queue for an engine with room (0 when it did not wait).
ALTER TABLE usage_record ADD COLUMN queued_ms bigint NOT NULL DEFAULT 0 CHECK (queued_ms >= 0);
