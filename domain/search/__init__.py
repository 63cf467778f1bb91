"""Search: what of a product is embedded and indexed, and how rankings are fused."""
