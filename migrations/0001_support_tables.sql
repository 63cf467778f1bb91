-- Support tables: positions of the relay and of each projection, secrets kept out of the log,
-- idempotency records and login throttling.

CREATE TABLE IF NOT EXISTS relay_state (
    id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    position   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO relay_state (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS projection_tracking (
    name       text PRIMARY KEY,
    position   bigint NOT NULL DEFAULT 0,
    ddl_hash   text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Password hashes (argon2id) and API-key hashes (SHA-256 of a random key). Never in events.
CREATE TABLE IF NOT EXISTS credentials (
    subject_id  uuid NOT NULL,
    kind        text NOT NULL,
    secret_hash text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject_id, kind)
);

CREATE TABLE IF NOT EXISTS idempotency_keys (
    org_id       uuid NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    state        text NOT NULL DEFAULT 'running',
    status       int,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);

CREATE TABLE IF NOT EXISTS login_failures (
    account_key text NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS login_failures_account ON login_failures (account_key, failed_at);

CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash  text PRIMARY KEY,
    family_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    org_id      uuid NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);

-- When an API key was last used: a high-volume fact, not a decision, so not an event.
CREATE TABLE IF NOT EXISTS api_key_usage (
    key_id       uuid PRIMARY KEY,
    last_used_at timestamptz NOT NULL
);
