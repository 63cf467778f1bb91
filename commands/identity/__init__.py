"""Identity commands: organizations, users, sign-in, two-factor, API keys, invitations, AI keys."""
