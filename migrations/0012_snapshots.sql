-- Snapshots of aggregates: derived data, an aggregate's state after its first `version`
-- events, so that loading it reads the snapshot and the events after it. One row per stream
-- and state version (the digest of the code that shapes the state): a row of another
-- version is never read. Rows can be deleted at any time; they are written again.

CREATE TABLE IF NOT EXISTS snapshots (
    stream_id     uuid NOT NULL,
    state_version text NOT NULL,
    version       bigint NOT NULL,
    state         bytea NOT NULL,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_id, state_version)
);
