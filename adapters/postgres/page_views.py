"""Counting the views of public pages (landing and HTML pages), and when an AI crawler last
read one."""

import asyncio
from uuid import UUID

import structlog
from psycopg_pool import AsyncConnectionPool

log = structlog.get_logger("copydesk.page_views")

AI_CRAWLERS = ("gptbot", "claudebot", "perplexitybot", "googleother", "anthropic-ai")
"""User-Agent words of the crawlers that feed AI answers (matched case-insensitively)."""


def is_ai_crawler(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(name in agent for name in AI_CRAWLERS)


LANDING = "landing"
HTML = "html"

_FLUSH = (
    "INSERT INTO page_views (org_id, kind, number, view_count, last_ai_crawl_at)"
    " SELECT o, k, n, c, CASE WHEN a THEN now() END"
    " FROM unnest(%s::uuid[], %s::text[], %s::int[], %s::bigint[], %s::bool[]) AS t(o, k, n, c, a)"
    " ON CONFLICT (org_id, kind, number) DO UPDATE SET"
    " view_count = page_views.view_count + EXCLUDED.view_count,"
    " last_ai_crawl_at = coalesce(EXCLUDED.last_ai_crawl_at, page_views.last_ai_crawl_at)"
)
Key = tuple[UUID, str, int]


class ViewBuffer:
    """Views counted in this process's memory and added to `page_views` in one statement
    every `FLUSH_SECONDS` (and at shutdown). Every public request used to update its page's
    one row in its own transaction: under load they queued on that row's lock. The cost is
    that a counter read lags by up to a flush, and a process killed without its shutdown
    loses the views of its last flush interval; a failed flush keeps its counts for the
    next."""

    FLUSH_SECONDS = 0.1

    def __init__(self) -> None:
        self._counts: dict[Key, int] = {}
        self._crawled: set[Key] = set()
        self._ever: dict[Key, int] = {}

    def add(self, org_id: UUID, kind: str, number: int, ai_crawler: bool) -> None:
        key = (org_id, kind, number)
        self._counts[key] = self._counts.get(key, 0) + 1
        self._ever[key] = self._ever.get(key, 0) + 1
        if ai_crawler:
            self._crawled.add(key)

    def counted(self, org_id: UUID, kind: str, number: int) -> int:
        """Views of the page this process has counted since it started."""
        return self._ever.get((org_id, kind, number), 0)

    def pending(self, org_id: UUID, kind: str, number: int) -> int:
        """Views of the page counted here and not written yet."""
        return self._counts.get((org_id, kind, number), 0)

    async def flush(self, pool: AsyncConnectionPool) -> int:
        """Write what is counted; the number of views written."""
        counts, crawled = self._counts, self._crawled
        if not counts:
            return 0
        self._counts, self._crawled = {}, set()
        keys = list(counts)
        try:
            async with pool.connection() as conn:
                await conn.execute(_FLUSH, ([k[0] for k in keys], [k[1] for k in keys],
                                            [k[2] for k in keys], [counts[k] for k in keys],
                                            [k in crawled for k in keys]))
        except BaseException:
            for key in keys:  # kept for the next flush
                self._counts[key] = self._counts.get(key, 0) + counts[key]
            self._crawled |= crawled
            raise
        return sum(counts.values())

    async def run(self, pool: AsyncConnectionPool) -> None:
        """Flush every `FLUSH_SECONDS` until cancelled."""
        while True:
            await asyncio.sleep(self.FLUSH_SECONDS)
            try:
                await self.flush(pool)
            except Exception as error:
                log.warning("page_views_flush_failed", error=repr(error))
