-- Two-factor authentication: what is checked once and must never enter the log. TOTP secrets
-- live in `secrets` (purpose 'totp', or 'totp_pending' during a setup), sealed.

-- Backup codes, stored as keyed digests; a code is used by setting `used_at` (only once).
CREATE TABLE IF NOT EXISTS two_factor_backup_codes (
    user_id     uuid NOT NULL,
    org_id      uuid NOT NULL,
    generation  int NOT NULL,
    code_hash   text NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, code_hash)
);

-- The latest e-mailed code of a user for each purpose (login, setup, disable), as a keyed digest.
CREATE TABLE IF NOT EXISTS two_factor_email_codes (
    user_id     uuid NOT NULL,
    purpose     text NOT NULL,
    org_id      uuid NOT NULL,
    code_hash   text NOT NULL,
    expires_at  timestamptz NOT NULL,
    attempts    int NOT NULL DEFAULT 0,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, purpose)
);

-- The last TOTP time-step a user signed in with: a code of that step or an earlier one is a replay.
CREATE TABLE IF NOT EXISTS two_factor_totp_steps (
    user_id     uuid PRIMARY KEY,
    org_id      uuid NOT NULL,
    last_step   bigint NOT NULL,
    used_at     timestamptz NOT NULL DEFAULT now()
);
