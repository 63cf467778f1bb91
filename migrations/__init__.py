"""SQL for support tables (numbered, applied in order) and for each read model (projections/)."""
