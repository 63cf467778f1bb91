-- The SHA-256 of each invitation's current token (never the token itself), written beside the
-- invitation's events in their transaction: the link in the e-mail finds its invitation here.
-- A resend replaces the hash, so the older link stops working at once.

CREATE TABLE IF NOT EXISTS invitation_tokens (
    invitation_id uuid PRIMARY KEY,
    org_id        uuid NOT NULL,
    token_hash    text NOT NULL UNIQUE
);
