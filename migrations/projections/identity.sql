-- Identity read models: organizations, users, API keys, invitations. Async projection
-- (projector worker).
CREATE TABLE IF NOT EXISTS organizations (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    slug          text NOT NULL,
    settings      jsonb NOT NULL DEFAULT '{}',
    address       text,
    phone_number  text,
    tax_id        text,
    billing_email text,
    enforce_2fa   boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    ai_key_fingerprints jsonb NOT NULL DEFAULT '{}'  -- provider -> fingerprint (BYOK)
);

CREATE TABLE IF NOT EXISTS users (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    email          text NOT NULL,
    first_name     text,
    last_name      text,
    phone_number   text,
    role           text NOT NULL,
    is_active      boolean NOT NULL DEFAULT true,
    is_super_admin boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    last_login_at  timestamptz,
    two_factor_enabled boolean NOT NULL DEFAULT false,  -- checked at sign-in (not suspended)
    two_factor_method  text                             -- kept while an admin suspends it
);
CREATE INDEX IF NOT EXISTS users_org ON users (org_id, created_at);
CREATE INDEX IF NOT EXISTS users_email ON users (email);

CREATE TABLE IF NOT EXISTS api_keys (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    name        text NOT NULL,
    prefix      text NOT NULL,
    fingerprint text NOT NULL,
    created_by  uuid,
    scope       text NOT NULL DEFAULT 'all',  -- or 'index': the page index's routes only
    is_active   boolean NOT NULL DEFAULT true,
    deleted     boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS api_keys_org ON api_keys (org_id, created_at DESC);
CREATE INDEX IF NOT EXISTS api_keys_prefix ON api_keys (prefix);

-- status: pending, accepted or revoked; "expired" is told at query time (a projection has no
-- clock). The token's hash is not here but in `invitation_tokens`, beside the events.
CREATE TABLE IF NOT EXISTS invitations (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    email       text NOT NULL,
    role        text NOT NULL,
    status      text NOT NULL DEFAULT 'pending',
    invited_by  uuid,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    user_id     uuid
);
CREATE INDEX IF NOT EXISTS invitations_org ON invitations (org_id, created_at DESC);
