-- Views of public pages (landing pages and HTML pages, by `kind`), counted beside the
-- events (a view is not an event: it changes no decision). Owned by
-- adapters/postgres/page_views.py.
CREATE TABLE IF NOT EXISTS page_views (
    org_id           uuid NOT NULL,
    kind             text NOT NULL DEFAULT 'landing',
    number           integer NOT NULL,
    view_count       bigint NOT NULL DEFAULT 0,
    last_ai_crawl_at timestamptz,
    PRIMARY KEY (org_id, kind, number)
);
