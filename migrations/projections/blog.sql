-- BlogBoard read model: each organization's WordPress connections (no credentials: those
-- are sealed in `secrets`) with their cached categories, and its blog templates. Async
-- projection (projector worker); rebuildable from the log.
CREATE TABLE IF NOT EXISTS connections (
    id                   uuid PRIMARY KEY,
    org_id               uuid NOT NULL,
    name                 text NOT NULL,
    site_url             text NOT NULL,
    username             text NOT NULL,
    is_active            boolean NOT NULL,
    categories           jsonb,
    categories_cached_at timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS connections_org ON connections (org_id, created_at);

CREATE TABLE IF NOT EXISTS templates (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL,
    name                text NOT NULL,
    description         text NOT NULL,
    tone                text NOT NULL,
    structure           jsonb NOT NULL,
    custom_instructions text NOT NULL,
    is_default          boolean NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS templates_org ON templates (org_id, created_at);
