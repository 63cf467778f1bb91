"""Catalog read models: projects with their counts, sources, items to review, tones, and their queries."""
