-- Write-side indexes: entries written in the same transaction as the events they come from,
-- for what a command must find without replaying many streams (commands/ports.py
-- IndexEntries). `imported-items`: a product imported in a batch -> its item's organization,
-- project, source and place among the source's products, until the item's own stream begins.
-- Entries never change; they can be rebuilt from the events.

CREATE TABLE IF NOT EXISTS write_index (
    index_name text NOT NULL,
    key        uuid NOT NULL,
    entry      jsonb NOT NULL,
    PRIMARY KEY (index_name, key)
);
