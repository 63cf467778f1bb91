"""Answers of text models kept by prompt key and organization (table `prompt_cache`, 0007)."""

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from domain.generation.settings import GeneratedTexts, WriterOutput
from domain.log import SideWrite

TEXT_FIELDS = ("name", "short_description", "long_description", "meta_title", "meta_description")


async def get(conn: AsyncConnection[Any], org_id: UUID, key: str) -> WriterOutput | None:
    """The organization's cached answer for `key`, marked `cached=True`; None if there is none."""
    cur = await conn.execute(
        "SELECT provider, model, texts, input_tokens, output_tokens FROM prompt_cache"
        " WHERE org_id = %s AND key = %s", (org_id, key))
    row = await cur.fetchone()
    if row is None:
        return None
    provider, model, texts, input_tokens, output_tokens = row
    return WriterOutput(
        texts=GeneratedTexts(**{f: str(texts.get(f, "")) for f in TEXT_FIELDS}), provider=provider,
        model=model, input_tokens=input_tokens, output_tokens=output_tokens, cached=True)


PUT_SQL = (
    "INSERT INTO prompt_cache (org_id, key, provider, model, texts, input_tokens, output_tokens)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (org_id, key) DO UPDATE SET provider = excluded.provider, model = excluded.model,"
    " texts = excluded.texts, input_tokens = excluded.input_tokens,"
    " output_tokens = excluded.output_tokens, created_at = now()")
"""Keeps an answer (`put_params`); a newer answer for the same key replaces the older one."""


def put_params(org_id: UUID, key: str, output: WriterOutput) -> tuple[object, ...]:
    """The parameters of `PUT_SQL` for an answer."""
    texts = {f: getattr(output.texts, f) for f in TEXT_FIELDS}
    return (org_id, key, output.provider, output.model, Jsonb(texts), output.input_tokens,
            output.output_tokens)


def put_write(org_id: UUID, key: str, output: WriterOutput) -> SideWrite:
    """Keeping an answer as a write beside a command's events."""
    return SideWrite(PUT_SQL, put_params(org_id, key, output))


async def put(conn: AsyncConnection[Any], org_id: UUID, key: str, output: WriterOutput) -> None:
    """Keep an answer; a newer answer for the same key replaces the older one."""
    await conn.execute(PUT_SQL, put_params(org_id, key, output))


class PromptCache:
    """The cache over a connection pool: a connection is held only for each short query, never
    while a model writes."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self.pool = pool

    async def get(self, org_id: UUID, key: str) -> WriterOutput | None:
        async with self.pool.connection() as conn:
            return await get(conn, org_id, key)

    async def put(self, org_id: UUID, key: str, output: WriterOutput) -> None:
        async with self.pool.connection() as conn:
            await put(conn, org_id, key, output)
