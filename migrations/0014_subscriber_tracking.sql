-- Where each event subscriber (a worker with side effects, e.g. store auto-sync) has come to
-- in the event log. Unlike projection_tracking it is not advanced in the transaction of an
-- effect (the effect is a command in the event store): the subscriber's effects are
-- idempotent, so a position saved after its effect neither skips nor repeats one.
-- Owned by adapters/postgres/subscriber_tracking.py.
CREATE TABLE IF NOT EXISTS subscriber_tracking (
    name       text PRIMARY KEY,
    position   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
