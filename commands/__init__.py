"""Command handlers: load aggregates, call one domain method, save. Nothing else."""
