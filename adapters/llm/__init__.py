"""Text models: writers per provider, their resilience, the prompt cache, one item's generation."""
