"""Read models of the pages context."""
