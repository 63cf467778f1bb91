"""Blog read models."""
