"""Workflows: one command that spans contexts (onboarding: an organization, its admin, its account)."""
