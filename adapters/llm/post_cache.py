"""Blog post answers of text models in the prompt cache (table `prompt_cache`, keys
"blog:…"): the same brief to the same model is not paid for twice. A regeneration asks
afresh and replaces the kept answer."""

import dataclasses
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.types.json import Jsonb

from adapters.llm.post_writers import PostOutput
from adapters.llm.prompt_cache import PUT_SQL
from domain.blog.post_brief import PostDraft
from domain.log import SideWrite

_FIELDS = tuple(f.name for f in dataclasses.fields(PostDraft))


async def get_post_answer(conn: AsyncConnection[Any], org_id: UUID, key: str) -> PostOutput | None:
    cur = await conn.execute(
        "SELECT provider, model, texts, input_tokens, output_tokens FROM prompt_cache"
        " WHERE org_id = %s AND key = %s", (org_id, key))
    row = await cur.fetchone()
    if row is None or not isinstance(row[2], dict):
        return None
    draft = PostDraft(**{f: str(row[2].get(f) or "") for f in _FIELDS})
    return PostOutput(draft=draft, provider=row[0], model=row[1], input_tokens=row[3],
                      output_tokens=row[4], cached=True)


def put_post_answer(org_id: UUID, key: str, output: PostOutput) -> SideWrite:
    """Keeping an answer beside the events that record and charge it."""
    return SideWrite(PUT_SQL, (org_id, key, output.provider, output.model,
                               Jsonb(dataclasses.asdict(output.draft)), output.input_tokens,
                               output.output_tokens))
