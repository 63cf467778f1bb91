"""The catalog: projects, their data sources, content items and their review, custom tones."""
