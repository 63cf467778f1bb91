"""Store integration commands: connections, imports from a store and syncs back to it."""
