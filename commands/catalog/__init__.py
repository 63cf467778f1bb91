"""Catalog commands: projects, data sources, content items and their review, custom tones."""
