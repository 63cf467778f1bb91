"""PostgreSQL: the event store, its log reader, migrations and the read-side pool."""
