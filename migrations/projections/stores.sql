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
