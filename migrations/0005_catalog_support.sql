-- Trigram indexes for the catalog's item search (name, SKU, external id, generated text).
-- In `public`, so that a read model's schema can be dropped and rebuilt without it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
