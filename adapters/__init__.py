"""Everything that talks to the outside: PostgreSQL, NATS, files, mail, AI providers."""
