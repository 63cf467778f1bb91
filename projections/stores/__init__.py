"""The store connections read model."""
