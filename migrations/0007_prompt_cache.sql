-- Answers of text models by prompt, so the same prompt is not paid for twice. `key` is
-- sha256 over provider, model and the whole prompt (domain/generation/prompts.py prompt_key).
-- Kept per organization: an answer one organization paid for (perhaps with its own key) is
-- never served to another, and no one learns from a free answer what another one generated.
-- A cache: rows may be deleted at any time (oldest first by created_at).

CREATE TABLE IF NOT EXISTS prompt_cache (
    org_id        uuid NOT NULL,
    key           text NOT NULL,
    provider      text NOT NULL,
    model         text NOT NULL,
    texts         jsonb NOT NULL,
    input_tokens  integer NOT NULL,
    output_tokens integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, key)
);
CREATE INDEX IF NOT EXISTS prompt_cache_created ON prompt_cache (created_at);
