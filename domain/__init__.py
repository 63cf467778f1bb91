"""Aggregates, events and domain errors of copydesk: the standard library only."""
