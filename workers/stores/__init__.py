"""The stores context's long-lived process: the auto-sync subscriber."""
