-- SavedSearches read model: the organizations' saved queries and product segments, by their
-- per-organization numbers. Async projection (projector worker); rebuildable from the log.
CREATE TABLE IF NOT EXISTS queries (
    org_id     uuid NOT NULL,
    number     integer NOT NULL,
    text       text NOT NULL,
    active     boolean NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, number)
);

CREATE TABLE IF NOT EXISTS segments (
    org_id      uuid NOT NULL,
    number      integer NOT NULL,
    name        text NOT NULL,
    project_ids uuid[] NOT NULL,
    categories  text[] NOT NULL,
    skus        text[] NOT NULL,
    feeds       integer[] NOT NULL DEFAULT '{}',  -- numbers of product feeds
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, number)
);

-- The organizations' external product feeds and how their last sync went.
CREATE TABLE IF NOT EXISTS feeds (
    org_id          uuid NOT NULL,
    number          integer NOT NULL,
    name            text NOT NULL,
    url             text NOT NULL,
    format          text NOT NULL,
    field_map       jsonb NOT NULL,
    product_count   integer NOT NULL DEFAULT 0,
    last_job_id     uuid,
    last_status     text,  -- succeeded | failed, after a sync
    last_error      text,
    last_synced_at  timestamptz,  -- the last good sync
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (org_id, number)
);
