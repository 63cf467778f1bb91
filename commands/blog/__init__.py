"""Blog commands."""
