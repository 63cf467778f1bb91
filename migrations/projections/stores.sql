-- StoreConnections read model: the organizations' store connections (never their
-- credentials, only whether they are held) and the projects linked to each.
-- Async projection (projector worker); rebuildable from the log.
CREATE TABLE IF NOT EXISTS connections (
    id                uuid PRIMARY KEY,
    org_id            uuid NOT NULL,
    name              text NOT NULL,
    platform          text NOT NULL,
    base_url          text NOT NULL,
    status            text NOT NULL,
    has_credentials   boolean NOT NULL,
    store_name        text,
    last_message      text,
    last_connected_at timestamptz,
    auto_sync         boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS connections_org ON connections (org_id, created_at);

CREATE TABLE IF NOT EXISTS links (
    connection_id uuid NOT NULL,
    project_id    uuid NOT NULL,
    org_id        uuid NOT NULL,
    PRIMARY KEY (connection_id, project_id)
);
CREATE INDEX IF NOT EXISTS links_project ON links (project_id);

-- Every attempt to write an item's content to a store, and how it ended.
CREATE TABLE IF NOT EXISTS sync_history (
    attempt_id     uuid PRIMARY KEY,
    org_id         uuid NOT NULL,
    project_id     uuid NOT NULL,
    item_id        uuid NOT NULL,
    connection_id  uuid NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    success        boolean,
    error_message  text,
    store_reply_id text
);
CREATE INDEX IF NOT EXISTS sync_history_item ON sync_history (item_id, started_at);
