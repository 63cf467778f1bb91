"""Identity: organizations, their users and API keys; no secret ever enters an event."""
