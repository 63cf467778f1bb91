"""Commands of the pages context."""
