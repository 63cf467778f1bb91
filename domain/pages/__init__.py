"""The pages context: blocks, the design system, page templates (landing pages later)."""
