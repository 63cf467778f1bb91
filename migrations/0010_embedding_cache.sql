-- Vectors already computed, by model and the sha256 of the text as embedded, so that a
-- rebuild of the index or an unchanged text is never embedded twice. Derived data, not
-- truth: rows may be deleted at any time. Owned by adapters/postgres/embedding_cache.py.
CREATE TABLE IF NOT EXISTS embedding_cache (
    model      text NOT NULL,  -- name and dimension: "multilingual-e5-small@384"
    text_hash  text NOT NULL,
    embedding  real[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model, text_hash)
);
