-- Audit log: every event of every organization, who caused it and when. Async projection.
CREATE TABLE IF NOT EXISTS audit_log (
    position         bigint PRIMARY KEY,
    org_id           uuid NOT NULL,
    occurred_at      timestamptz NOT NULL,
    event_type       text NOT NULL,
    aggregate_id     uuid NOT NULL,
    aggregate_version bigint NOT NULL,
    actor_type       text NOT NULL,
    actor_id         text,
    request_id       text,
    correlation_id   text,
    data             jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_org ON audit_log (org_id, position DESC);
