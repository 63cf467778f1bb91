-- Requests counted per key (an organization and a route) in fixed one-minute windows.
-- Owned by adapters/postgres/rate_windows.py; windows past are forgotten by housekeeping.
CREATE TABLE IF NOT EXISTS rate_windows (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    n            integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
