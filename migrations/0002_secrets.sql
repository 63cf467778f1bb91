-- Secrets kept at rest, encrypted (adapters/secret_box.py): BYOK provider keys, TOTP secrets,
-- store and WordPress credentials. Events refer to a row by (owner_id, purpose) and carry at most
-- a fingerprint.

CREATE TABLE IF NOT EXISTS secrets (
    owner_id    uuid NOT NULL,
    purpose     text NOT NULL,
    org_id      uuid NOT NULL,
    ciphertext  bytea NOT NULL,
    fingerprint text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, purpose)
);
CREATE INDEX IF NOT EXISTS secrets_org ON secrets (org_id);
