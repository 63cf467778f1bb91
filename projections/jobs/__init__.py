"""Job read models: job lists, status, progress and per-item results, and their queries."""
