"""Pexels' API: `GET /v1/search` with `Authorization: <key>`. Credit: "Photo by <name> on
Pexels", linked to the photographer and to Pexels."""

from html import escape
from typing import Any

import httpx

from adapters.stock_photos.photos import SearchPage, StockPhoto, StockProviderError, check_answer

PROVIDER = "pexels"
MAX_PER_PAGE = 80


def _photo(item: dict[str, Any]) -> StockPhoto:
    src = item.get("src") or {}
    name = str(item.get("photographer") or "Unknown")
    profile = str(item.get("photographer_url") or "https://www.pexels.com")
    return StockPhoto(
        provider=PROVIDER, provider_id=str(item["id"]), width=int(item.get("width") or 0),
        height=int(item.get("height") or 0), url=str(item.get("url") or ""),
        photographer=name, photographer_url=profile, avg_color=str(item.get("avg_color") or ""),
        alt=str(item.get("alt") or ""),
        src={size: str(src[size]) for size in ("original", "large2x", "large", "medium",
                                                "small", "portrait", "landscape", "tiny")
             if src.get(size)},
        attribution=f"Photo by {name} on Pexels",
        attribution_html=(f'Photo by <a href="{escape(profile)}">{escape(name)}</a> on'
                          ' <a href="https://www.pexels.com">Pexels</a>'))


class PexelsClient:
    def __init__(self, api_key: str, base_url: str, timeout: float) -> None:
        self._headers = {"Authorization": api_key}
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    async def search(self, query: str, *, page: int, per_page: int,
                     orientation: str | None) -> SearchPage:
        params: dict[str, Any] = {"query": query, "page": page,
                                  "per_page": min(per_page, MAX_PER_PAGE)}
        if orientation:
            params["orientation"] = orientation
        try:
            async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as http:
                response = await http.get(f"{self.base_url}/v1/search", params=params,
                                          headers=self._headers)
        except httpx.HTTPError as error:
            raise StockProviderError(PROVIDER, f"unreachable ({type(error).__name__})") from None
        check_answer(PROVIDER, response.status_code)
        try:
            body = response.json()
            return SearchPage(int(body.get("total_results") or 0),
                              [_photo(p) for p in body["photos"]])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise StockProviderError(PROVIDER, "the answer has an unknown shape") from None
