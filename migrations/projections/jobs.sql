-- JobProgress read model: each job with its progress and result, and one row per finished
-- unit. Async projection (projector worker).
CREATE TABLE IF NOT EXISTS jobs (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    project_id     uuid NOT NULL,
    job_type       text NOT NULL,
    status         text NOT NULL,
    parameters     jsonb NOT NULL DEFAULT '{}',
    created_by     uuid,
    progress_total int,
    work_done      bigint,  -- a long unit's own progress (an import's rows), see JobUnitProgressed
    work_expected  bigint,
    succeeded      int NOT NULL DEFAULT 0,
    failed         int NOT NULL DEFAULT 0,
    skipped        int NOT NULL DEFAULT 0,
    cost           numeric NOT NULL DEFAULT 0,
    error          text,
    result         jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    completed_at   timestamptz,
    position       bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_project ON jobs (org_id, project_id, created_at DESC);
CREATE INDEX IF NOT EXISTS jobs_queued ON jobs (created_at) WHERE status = 'queued';

-- `position`: the event that finished the unit, so a stream can send what is new in order.
CREATE TABLE IF NOT EXISTS job_items (
    job_id      uuid NOT NULL,
    unit_id     text NOT NULL,
    org_id      uuid NOT NULL,
    status      text NOT NULL,
    error       text,
    detail      jsonb NOT NULL DEFAULT '{}',
    cost        numeric NOT NULL DEFAULT 0,
    attempts    int NOT NULL DEFAULT 1,
    finished_at timestamptz NOT NULL,
    position    bigint NOT NULL,
    PRIMARY KEY (job_id, unit_id)
);
CREATE INDEX IF NOT EXISTS job_items_position ON job_items (job_id, position);
