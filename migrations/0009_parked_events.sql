-- Events a projection could not apply (after bounded retries): parked here in the same
-- transaction that moves its position past them, so one bad event never stalls a read model.
-- `copydesk projections retry` re-applies them once the cause is fixed.

CREATE TABLE IF NOT EXISTS parked_events (
    projection         text NOT NULL,
    position           bigint NOT NULL,
    topic              text NOT NULL,
    originator_id      uuid NOT NULL,
    originator_version bigint NOT NULL,
    error              text NOT NULL,
    attempts           int NOT NULL DEFAULT 1,
    first_failed_at    timestamptz NOT NULL DEFAULT now(),
    last_failed_at     timestamptz NOT NULL DEFAULT now(),
    resolved           boolean NOT NULL DEFAULT false,
    PRIMARY KEY (projection, position)
);
CREATE INDEX IF NOT EXISTS parked_events_unresolved ON parked_events (projection, position)
    WHERE NOT resolved;
