-- PageDesigns read model: each organization's design system (once changed from the
-- defaults) and its page templates, by their per-organization numbers. Async projection
-- (projector worker); rebuildable from the log.
CREATE TABLE IF NOT EXISTS design_systems (
    org_id           uuid PRIMARY KEY,
    primary_color    text NOT NULL,
    secondary_color  text NOT NULL,
    background_color text NOT NULL,
    text_color       text NOT NULL,
    heading_font     text NOT NULL,
    body_font        text NOT NULL,
    border_radius    text NOT NULL,
    spacing_unit     integer NOT NULL,
    custom_css       text NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS templates (
    org_id      uuid NOT NULL,
    number      integer NOT NULL,
    name        text NOT NULL,
    description text NOT NULL,
    blocks      jsonb NOT NULL,
    tags        text[] NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, number)
);

CREATE TABLE IF NOT EXISTS landing_pages (
    org_id       uuid NOT NULL,
    number       integer NOT NULL,
    slug         text NOT NULL,
    title        text NOT NULL,
    query        integer,
    published    boolean NOT NULL,
    intro_copy   text NOT NULL DEFAULT '',
    product_skus text[] NOT NULL DEFAULT '{}',
    blocks       jsonb NOT NULL DEFAULT '[]',
    generated_at timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (org_id, number),
    UNIQUE (org_id, slug)
);

-- The page builder's operations on a landing page, in the order of the log: who (a user, or
-- the agent a user asked) did what to which block.
CREATE TABLE IF NOT EXISTS landing_page_edits (
    org_id     uuid NOT NULL,
    number     integer NOT NULL,
    position   bigint NOT NULL,
    operation  text NOT NULL,
    block_id   text NOT NULL,
    block_type text,
    actor      text NOT NULL,
    user_id    uuid,
    at         timestamptz NOT NULL,
    PRIMARY KEY (org_id, number, position)
);

-- HTML pages (their current version) and every version of their HTML.
CREATE TABLE IF NOT EXISTS html_pages (
    org_id        uuid NOT NULL,
    number        integer NOT NULL,
    name          text NOT NULL,
    slug          text NOT NULL UNIQUE,
    description   text NOT NULL,
    html_content  text NOT NULL,
    storage_mode  text NOT NULL,
    features      jsonb NOT NULL,
    is_published  boolean NOT NULL,
    version       integer NOT NULL,
    preview_image text,           -- file name under previews/ in the file store
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (org_id, number)
);

CREATE TABLE IF NOT EXISTS html_page_versions (
    org_id       uuid NOT NULL,
    number       integer NOT NULL,
    version      integer NOT NULL,
    html_content text NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (org_id, number, version)
);
