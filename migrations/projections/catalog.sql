-- Catalog read models: projects, data sources, content items, item counts, custom tones.
-- Async projection (projector worker). Item counts per source and bucket (a status, or
-- 'excluded') are kept by the database itself as items change, so no read counts items.
CREATE TABLE IF NOT EXISTS projects (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL,
    name                text NOT NULL,
    platform            text NOT NULL,
    status              text NOT NULL DEFAULT 'draft',
    settings            jsonb NOT NULL DEFAULT '{}',
    store_connection_id uuid,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    completed_at        timestamptz,
    deleted_at          timestamptz
);
CREATE INDEX IF NOT EXISTS projects_org ON projects (org_id, created_at DESC);

CREATE TABLE IF NOT EXISTS sources (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    project_id     uuid NOT NULL,
    kind           text NOT NULL,
    name           text NOT NULL,
    platform       text NOT NULL,
    filename       text NOT NULL DEFAULT '',
    file_key       text NOT NULL DEFAULT '',
    column_mapping jsonb NOT NULL DEFAULT '{}',
    status         text NOT NULL,
    error_message  text,
    last_synced_at timestamptz,
    created_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_project ON sources (project_id, created_at DESC);

CREATE TABLE IF NOT EXISTS items (
    id                 uuid PRIMARY KEY,
    org_id             uuid NOT NULL,
    project_id         uuid NOT NULL,
    source_id          uuid NOT NULL,
    seq                bigint NOT NULL,  -- the import's position in the log: list order
    external_id        text NOT NULL,
    item_type          text NOT NULL,
    parent_external_id text,
    parent_id          uuid,
    name               text NOT NULL DEFAULT '',
    sku                text,
    source_data        json NOT NULL DEFAULT '{}',  -- only ever read whole: kept as written
    generated_content  jsonb NOT NULL DEFAULT '{}',
    confidence_score   double precision,
    status             text NOT NULL DEFAULT 'pending',
    ai_model_used      text,
    system_meta        jsonb NOT NULL DEFAULT '{}',  -- what generation and review noted
    user_meta          jsonb NOT NULL DEFAULT '{}',  -- the reviewer's own metadata
    excluded_at        timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    bucket             text GENERATED ALWAYS AS (
        CASE WHEN excluded_at IS NULL THEN status ELSE 'excluded' END) STORED,
    search_text        text GENERATED ALWAYS AS (lower(
        name || ' ' || coalesce(sku, '') || ' ' || external_id || ' '
        || coalesce(generated_content ->> 'name', '') || ' '
        || coalesce(generated_content ->> 'short_description', ''))) STORED
);
CREATE INDEX IF NOT EXISTS items_project ON items (project_id, seq);
CREATE INDEX IF NOT EXISTS items_project_bucket ON items (project_id, bucket, seq);
CREATE INDEX IF NOT EXISTS items_source ON items (source_id, seq);
CREATE INDEX IF NOT EXISTS items_parent ON items (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_search ON items USING gin (search_text public.gin_trgm_ops);

CREATE TABLE IF NOT EXISTS item_counts (
    source_id  uuid NOT NULL,
    bucket     text NOT NULL,
    org_id     uuid NOT NULL,
    project_id uuid NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (source_id, bucket)
);
CREATE INDEX IF NOT EXISTS item_counts_project ON item_counts (project_id);

CREATE TABLE IF NOT EXISTS tones (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL,
    key           text NOT NULL,
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    system_prompt text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS tones_org ON tones (org_id, key);

-- Statement-level: one grouped change of the counts per statement, however many rows.
-- Unqualified names resolve in the schema being written (the projector sets search_path).
CREATE OR REPLACE FUNCTION count_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE item_counts c SET n = c.n - d.k
        FROM (SELECT source_id, bucket, count(*) AS k FROM old_rows GROUP BY 1, 2) d
        WHERE c.source_id = d.source_id AND c.bucket = d.bucket;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO item_counts AS c (source_id, bucket, org_id, project_id, n)
        SELECT source_id, bucket, org_id, project_id, count(*) FROM new_rows
        GROUP BY source_id, bucket, org_id, project_id
        ON CONFLICT (source_id, bucket) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO item_counts AS c (source_id, bucket, org_id, project_id, n)
        SELECT source_id, bucket, org_id, project_id, sum(k) FROM (
            SELECT source_id, bucket, org_id, project_id, -1 AS k FROM old_rows
            UNION ALL
            SELECT source_id, bucket, org_id, project_id, 1 FROM new_rows) d
        GROUP BY source_id, bucket, org_id, project_id HAVING sum(k) <> 0
        ON CONFLICT (source_id, bucket) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER items_counted_insert AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_items();
CREATE OR REPLACE TRIGGER items_counted_update AFTER UPDATE ON items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_items();
CREATE OR REPLACE TRIGGER items_counted_delete AFTER DELETE ON items
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_items();
