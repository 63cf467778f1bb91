"""One search across an organization's stock-photo providers: each is asked for its share
of the page at once, and the answers are interleaved (so page N of the merge is page N of
each provider). A provider that fails is left out while another answers; when all fail,
the first failure is raised."""

import asyncio
import dataclasses
import math
from typing import Protocol

import structlog

from adapters.settings import Settings
from adapters.stock_photos.pexels import PexelsClient
from adapters.stock_photos.photos import SearchPage, StockPhoto, StockProviderError
from adapters.stock_photos.unsplash import UnsplashClient

log = structlog.get_logger("copydesk.stock_photos")


class StockClient(Protocol):
    async def search(self, query: str, *, page: int, per_page: int,
                     orientation: str | None) -> SearchPage: ...


def client_for(provider: str, key: str, settings: Settings) -> StockClient:
    if provider == "unsplash":
        return UnsplashClient(key, settings.unsplash_base_url, settings.stock_timeout_seconds)
    return PexelsClient(key, settings.pexels_base_url, settings.stock_timeout_seconds)


def platform_keys(settings: Settings) -> dict[str, str]:
    keys = {"unsplash": settings.unsplash_access_key.strip(),
            "pexels": settings.pexels_api_key.strip()}
    return {provider: key for provider, key in keys.items() if key}


@dataclasses.dataclass(frozen=True)
class MergedPage:
    total: int
    photos: list[StockPhoto]
    failed: dict[str, str]
    """Provider → why it is missing from this page."""


async def search_all(clients: dict[str, StockClient], query: str, *, page: int,
                     per_page: int, orientation: str | None) -> MergedPage:
    share = math.ceil(per_page / max(len(clients), 1))
    names = list(clients)
    answers = await asyncio.gather(
        *(clients[n].search(query, page=page, per_page=share, orientation=orientation)
          for n in names), return_exceptions=True)
    pages: list[SearchPage] = []
    failed: dict[str, str] = {}
    errors: list[StockProviderError] = []
    for name, answer in zip(names, answers, strict=True):
        if isinstance(answer, StockProviderError):
            log.warning("stock_search_failed", provider=name, error=str(answer))
            failed[name] = str(answer)
            errors.append(answer)
        elif isinstance(answer, BaseException):
            raise answer
        else:
            pages.append(answer)
    if errors and not pages:
        raise errors[0]
    photos = [photo for row in _interleave([p.photos for p in pages]) for photo in row]
    return MergedPage(sum(p.total for p in pages), photos[:per_page], failed)


def _interleave(lists: list[list[StockPhoto]]) -> list[list[StockPhoto]]:
    longest = max((len(each) for each in lists), default=0)
    return [[each[i] for each in lists if i < len(each)] for i in range(longest)]
