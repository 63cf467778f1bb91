"""Identity read models: users, organizations, API keys and invitations, and their queries."""
