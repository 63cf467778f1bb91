"""Housekeeping on a fresh PostgreSQL: what has expired is forgotten, nothing else."""

from uuid import uuid4

import psycopg

from adapters.settings import Settings
from workers.housekeeping import purge_expired

TOKEN = ("INSERT INTO refresh_tokens (token_hash, family_id, user_id, org_id, expires_at)"
         " VALUES (%s::text, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),")
EXPIRED_AND_KEPT = [  # (insert an expired row, insert a row still in use, table)
    ("INSERT INTO idempotency_keys (org_id, key, request_hash, created_at)"
     " VALUES (%s, 'k', 'h', now() - interval '25 hours')",
     "INSERT INTO idempotency_keys (org_id, key, request_hash) VALUES (%s, 'k', 'h')",
     "idempotency_keys"),
    ("INSERT INTO login_failures (account_key, failed_at) VALUES (%s::text, now() - interval '61 minutes')",
     "INSERT INTO login_failures (account_key) VALUES (%s::text)", "login_failures"),
    (f"{TOKEN} now() - interval '1 second')", f"{TOKEN} now() + interval '1 day')",
     "refresh_tokens"),
    ("INSERT INTO two_factor_email_codes (user_id, purpose, org_id, code_hash, expires_at)"
     " VALUES (%s, 'login', gen_random_uuid(), 'h', now() - interval '1 second')",
     "INSERT INTO two_factor_email_codes (user_id, purpose, org_id, code_hash, expires_at)"
     " VALUES (%s, 'login', gen_random_uuid(), 'h', now() + interval '5 minutes')",
     "two_factor_email_codes"),
    ("INSERT INTO email_outbox (org_id, recipient, subject, body, kind, not_before, created_at)"
     " VALUES (%s, 'a@example.test', 's', '', 'k', 'infinity', now() - interval '31 days')",
     "INSERT INTO email_outbox (org_id, recipient, subject, body, kind, not_before, created_at)"
     " VALUES (%s, 'a@example.test', 's', '', 'k', 'infinity', now() - interval '29 days')",
     "email_outbox"),
]


async def test_expired_rows_of_every_support_table_are_purged_and_the_others_kept(
    database: Settings,
) -> None:
    with psycopg.connect(database.database_url) as conn:
        for expired, kept, _ in EXPIRED_AND_KEPT:
            conn.execute(expired, (uuid4(),))
            conn.execute(kept, (uuid4(),))
    assert await purge_expired(database.database_url) == len(EXPIRED_AND_KEPT)
    with psycopg.connect(database.database_url) as conn:
        counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()
                  for _, _, table in EXPIRED_AND_KEPT}
    assert counts == {table: (1,) for _, _, table in EXPIRED_AND_KEPT}
    assert await purge_expired(database.database_url) == 0
