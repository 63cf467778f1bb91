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
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, number)
);
