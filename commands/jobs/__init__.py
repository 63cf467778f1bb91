"""Job commands: create, cancel, plan and report on jobs; what a kind of job is, and the known kinds."""
