"""Read models: one module per read model, with its event handlers and its queries."""
