-- Mail waiting to be delivered. A command writes its mail here in the same transaction as its
-- events (so a mail is sent if and only if the command happened); the worker delivers it and
-- deletes the row, because bodies may hold one-time codes or invitation links.

CREATE TABLE IF NOT EXISTS email_outbox (
    id          bigserial PRIMARY KEY,
    org_id      uuid,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    kind        text NOT NULL,
    attempts    int NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT '',
    not_before  timestamptz NOT NULL DEFAULT now(),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS email_outbox_due ON email_outbox (not_before, id);
