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

-- Each project's blog posts as the API shows them, with what publishing and scheduling
-- recorded (the WordPress connection, its post status, the last publishing error).
CREATE TABLE IF NOT EXISTS blog_posts (
    id                     uuid PRIMARY KEY,
    org_id                 uuid NOT NULL,
    project_id             uuid NOT NULL,
    title                  text NOT NULL DEFAULT '',
    content                text NOT NULL DEFAULT '',
    excerpt                text NOT NULL DEFAULT '',
    slug                   text NOT NULL DEFAULT '',
    status                 text NOT NULL,
    post_type              text NOT NULL,
    topic                  text NOT NULL,
    featured_image_url     text,
    seo_meta               jsonb NOT NULL DEFAULT '{}',
    wp_post_id             bigint,
    wp_category_ids        jsonb NOT NULL DEFAULT '[]',
    published_url          text,
    published_at           timestamptz,
    scheduled_at           timestamptz,
    source_item_ids        jsonb NOT NULL DEFAULT '[]',
    product_links          jsonb NOT NULL DEFAULT '{}',
    ai_settings            jsonb NOT NULL DEFAULT '{}',
    template_id            uuid,
    analytics              jsonb NOT NULL DEFAULT '{}',
    job_id                 uuid,
    generation_error       text,
    provider               text,
    model                  text,
    confidence_score       double precision,
    issues                 jsonb NOT NULL DEFAULT '[]',
    connection_id          uuid,
    wp_status              text,
    schedule_connection_id uuid,
    schedule_wp_status     text,
    publish_error          jsonb,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS blog_posts_project ON blog_posts (org_id, project_id, created_at);
CREATE INDEX IF NOT EXISTS blog_posts_due ON blog_posts (scheduled_at) WHERE status = 'scheduled';

-- Every text a post has had: each generation and each reviewer's edit of its text.
CREATE TABLE IF NOT EXISTS blog_post_versions (
    post_id    uuid NOT NULL,
    version    integer NOT NULL,
    org_id     uuid NOT NULL,
    title      text NOT NULL,
    content    text NOT NULL,
    excerpt    text NOT NULL,
    seo_meta   jsonb NOT NULL,
    source     text NOT NULL,  -- generated | edited
    job_id     uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, version)
);
