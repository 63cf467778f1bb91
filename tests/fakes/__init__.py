"""Fakes that plug into copydesk's own extension points (never patches of its code)."""
