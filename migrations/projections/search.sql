-- ProductIndex read model: one row per catalog item or external feed's product with the text
-- the index embeds, its full-text vector and (once the embedding worker has been by) its embedding. Async
-- projection (projector worker); `embedding`, `embedded_with`, `pending` and `claimed_at` are derived data
-- the worker writes (workers/embeddings.py), so a rebuild leaves every row pending and the worker fills
-- them again from the embedding cache. `embedded_with` is the model (and dimension) of the row's
-- vector, `model@dimension`: a search by meaning reads only rows of the model its query was embedded
-- with, and a worker started with another model makes the other rows pending again.
CREATE TABLE IF NOT EXISTS projects (
    id       uuid PRIMARY KEY,
    org_id   uuid NOT NULL,
    language text,
    trashed  boolean NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS products (
    item_id           uuid PRIMARY KEY,
    org_id            uuid NOT NULL,
    project_id        uuid,  -- none for a feed's product
    source_id         uuid NOT NULL,  -- a data source, or the feed (its aggregate id)
    feed              integer,  -- the feed's number, for a feed's product
    sku               text,
    name              text NOT NULL DEFAULT '',
    description       text NOT NULL DEFAULT '',  -- the source's, as plain text
    generated         text NOT NULL DEFAULT '',  -- the generated copy, as plain text
    price             numeric,
    category          text,
    image_url         text,
    url               text,  -- the product's page, where a feed gives it
    status            text NOT NULL DEFAULT 'pending',
    language          text,
    excluded          boolean NOT NULL DEFAULT false,
    trashed           boolean NOT NULL DEFAULT false,  -- its project is in the trash
    text              text NOT NULL DEFAULT '',  -- what is embedded (set by the trigger)
    content_hash      text NOT NULL DEFAULT '',  -- sha256 of `text`, hex
    tsv               tsvector,
    tsconfig          regconfig NOT NULL DEFAULT 'simple',  -- the stemming of `tsv` (set by the trigger)
    embedding         vector(384),
    embedded_with     text,  -- `model@dimension` of `embedding`
    pending           boolean NOT NULL DEFAULT true,  -- `text` changed since it was embedded
    claimed_at        timestamptz  -- an embedding worker took the row (others pass it over)
);
CREATE INDEX IF NOT EXISTS products_org ON products (org_id, project_id);
CREATE INDEX IF NOT EXISTS products_source ON products (source_id);
CREATE INDEX IF NOT EXISTS products_pending ON products (item_id) WHERE pending;
CREATE INDEX IF NOT EXISTS products_embedding ON products
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX IF NOT EXISTS products_tsv ON products USING gin (tsv);

-- The name, then the generated copy if there is any, else the source's description
-- (domain/search/texts.py text_to_embed is the same rule). The full-text vector holds the
-- words as written ('simple') and, where the project's language is known, their stems in
-- that language (`tsconfig`, which a query is stemmed with too). A changed text is pending until it is embedded again.
CREATE OR REPLACE FUNCTION index_product() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    body text := coalesce(nullif(btrim(NEW.generated), ''), btrim(NEW.description));
    config regconfig;
BEGIN
    IF TG_OP = 'INSERT' THEN  -- the schema of the table written (a rebuild writes a shadow)
        EXECUTE format('SELECT language, trashed FROM %I.projects WHERE id = $1', TG_TABLE_SCHEMA)
            INTO NEW.language, NEW.trashed USING NEW.project_id;
        NEW.trashed := coalesce(NEW.trashed, false);
    END IF;
    -- domain/search/languages.py TEXT_SEARCH_CONFIGS, the same table
    config := (CASE NEW.language WHEN 'en' THEN 'english' WHEN 'de' THEN 'german'
        WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' WHEN 'it' THEN 'italian'
        WHEN 'nl' THEN 'dutch' WHEN 'pt' THEN 'portuguese' WHEN 'da' THEN 'danish'
        WHEN 'fi' THEN 'finnish' WHEN 'sv' THEN 'swedish' WHEN 'no' THEN 'norwegian'
        WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian' WHEN 'ru' THEN 'russian'
        WHEN 'tr' THEN 'turkish' WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian'
        WHEN 'ca' THEN 'catalan' WHEN 'el' THEN 'greek' WHEN 'id' THEN 'indonesian'
        WHEN 'ga' THEN 'irish' WHEN 'lt' THEN 'lithuanian' ELSE 'simple' END)::regconfig;
    NEW.tsconfig := config;
    NEW.text := concat_ws(E'\n', nullif(btrim(NEW.name), ''), nullif(body, ''));
    NEW.content_hash := encode(sha256(convert_to(NEW.text, 'UTF8')), 'hex');
    NEW.tsv := to_tsvector('simple', NEW.text) || CASE WHEN config = 'simple'::regconfig
        THEN ''::tsvector ELSE to_tsvector(config, NEW.text) END;
    IF TG_OP = 'INSERT' OR NEW.content_hash IS DISTINCT FROM OLD.content_hash THEN
        NEW.pending := true;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER products_indexed_insert BEFORE INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION index_product();
CREATE OR REPLACE TRIGGER products_indexed_update
    BEFORE UPDATE OF name, description, generated, language ON products
    FOR EACH ROW EXECUTE FUNCTION index_product();

-- The page index (seed 004): one row per page an organization pushed. `status`, `error`,
-- `attempts`, `retry_at`, `embedding`, `embedded_with` and `claimed_at` are derived data the embedding worker
-- writes; a changed content is PENDING_VECTORIZATION again. Only the first part of a long
-- content goes into the full-text vector and the embedding.
CREATE TABLE IF NOT EXISTS pages (
    page_id       text PRIMARY KEY,  -- 24 hex digits
    org_id        uuid NOT NULL,
    url           text NOT NULL,
    title         text NOT NULL DEFAULT '',
    content       text NOT NULL,
    content_hash  text NOT NULL,  -- sha256 of `content`, hex
    metadata      jsonb NOT NULL DEFAULT '{}',
    tsv           tsvector,  -- set by the trigger
    tsconfig      regconfig NOT NULL DEFAULT 'simple',  -- of the metadata's `language`
    embedding     vector(384),
    embedded_with text,  -- `model@dimension` of `embedding`
    status        text NOT NULL DEFAULT 'PENDING_VECTORIZATION',
    error         text,
    attempts      integer NOT NULL DEFAULT 0,
    retry_at      timestamptz,
    claimed_at    timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS pages_url ON pages (org_id, url);
CREATE INDEX IF NOT EXISTS pages_pending ON pages (retry_at NULLS FIRST)
    WHERE status IN ('PENDING_VECTORIZATION', 'PROCESSING', 'ERROR');
CREATE INDEX IF NOT EXISTS pages_metadata ON pages USING gin (metadata jsonb_path_ops);
CREATE INDEX IF NOT EXISTS pages_tsv ON pages USING gin (tsv);
CREATE INDEX IF NOT EXISTS pages_embedding ON pages
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- A page's full-text vector: the title (weight A) and the first part of the content, as
-- written ('simple') and, when the metadata's `language` is known, stemmed in it (`tsconfig`).
CREATE OR REPLACE FUNCTION index_page() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    body text := left(NEW.content, 100000);  -- projections/search/pages.py TSV_CHARS
BEGIN
    NEW.tsv := setweight(to_tsvector('simple', NEW.title), 'A') || to_tsvector('simple', body);
    IF NEW.tsconfig <> 'simple'::regconfig THEN
        NEW.tsv := NEW.tsv || setweight(to_tsvector(NEW.tsconfig, NEW.title), 'A')
            || to_tsvector(NEW.tsconfig, body);
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER pages_indexed_insert BEFORE INSERT ON pages
    FOR EACH ROW EXECUTE FUNCTION index_page();
CREATE OR REPLACE TRIGGER pages_indexed_update BEFORE UPDATE OF title, content, tsconfig ON pages
    FOR EACH ROW EXECUTE FUNCTION index_page();
