-- BlogMedia read model: each organization's stock-photo provider keys (no key: it is sealed
-- in `secrets`; only its fingerprint) and the images of its blog posts (the files are in the
-- file store). Async projection (projector worker); rebuildable from the log.
CREATE TABLE IF NOT EXISTS stock_photo_keys (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL,
    provider        text NOT NULL,
    key_fingerprint text NOT NULL,
    is_active       boolean NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS stock_photo_keys_org ON stock_photo_keys (org_id, created_at);

CREATE TABLE IF NOT EXISTS blog_post_images (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL,
    project_id   uuid NOT NULL,
    post_id      uuid NOT NULL,
    source       text NOT NULL,
    file_key     text NOT NULL,
    file_size    bigint NOT NULL,
    mime         text NOT NULL,
    width        integer NOT NULL,
    height       integer NOT NULL,
    alt_text     text NOT NULL,
    original_url text NOT NULL,
    attribution  text NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS blog_post_images_post ON blog_post_images (org_id, post_id, created_at);
