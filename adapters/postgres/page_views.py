"""Counting the views of public landing pages, and when an AI crawler last read one."""

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

AI_CRAWLERS = ("gptbot", "claudebot", "perplexitybot", "googleother", "anthropic-ai")
"""User-Agent words of the crawlers that feed AI answers (matched case-insensitively)."""


def is_ai_crawler(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(name in agent for name in AI_CRAWLERS)


LANDING = "landing"
HTML = "html"


async def count_view(conn: AsyncConnection[Any], org_id: UUID, number: int,
                     ai_crawler: bool, kind: str = LANDING) -> None:
    await conn.execute(
        "INSERT INTO page_views (org_id, kind, number, view_count, last_ai_crawl_at)"
        " VALUES (%s, %s, %s, 1, CASE WHEN %s THEN now() END)"
        " ON CONFLICT (org_id, kind, number) DO UPDATE SET"
        " view_count = page_views.view_count + 1, last_ai_crawl_at ="
        " CASE WHEN %s THEN now() ELSE page_views.last_ai_crawl_at END",
        (org_id, kind, number, ai_crawler, ai_crawler))
