"""Unsplash's API: `GET /search/photos` with `Authorization: Client-ID <access key>`, and
the download ping (`links.download_location`) its guidelines require when a photo is used.
Credit: "Photo by <name> on Unsplash", both linked with `utm_source`/`utm_medium=referral`."""

from html import escape
from typing import Any

import httpx

from adapters.stock_photos.photos import SearchPage, StockPhoto, StockProviderError, check_answer

PROVIDER = "unsplash"
MAX_PER_PAGE = 30
APP_NAME = "copydesk"
_ORIENTATION = {"landscape": "landscape", "portrait": "portrait", "square": "squarish"}


def _referral(url: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}utm_source={APP_NAME}&utm_medium=referral"


def _photo(item: dict[str, Any]) -> StockPhoto:
    user = item.get("user") or {}
    urls = item.get("urls") or {}
    links = item.get("links") or {}
    name = str(user.get("name") or user.get("username") or "Unknown")
    profile = _referral(str((user.get("links") or {}).get("html") or "https://unsplash.com"))
    home = _referral("https://unsplash.com/")
    return StockPhoto(
        provider=PROVIDER, provider_id=str(item["id"]), width=int(item.get("width") or 0),
        height=int(item.get("height") or 0), url=str(links.get("html") or ""),
        photographer=name, photographer_url=profile, avg_color=str(item.get("color") or ""),
        alt=str(item.get("alt_description") or item.get("description") or ""),
        src={"original": str(urls.get("raw") or urls.get("full") or ""),
             "large": str(urls.get("full") or ""), "medium": str(urls.get("regular") or ""),
             "small": str(urls.get("small") or ""), "tiny": str(urls.get("thumb") or "")},
        attribution=f"Photo by {name} on Unsplash",
        attribution_html=(f'Photo by <a href="{escape(profile)}">{escape(name)}</a> on'
                          f' <a href="{escape(home)}">Unsplash</a>'),
        download_location=str(links.get("download_location") or ""))


class UnsplashClient:
    def __init__(self, access_key: str, base_url: str, timeout: float) -> None:
        self._headers = {"Authorization": f"Client-ID {access_key}", "Accept-Version": "v1"}
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    async def _get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as http:
                response = await http.get(url, params=params, headers=self._headers)
        except httpx.HTTPError as error:
            raise StockProviderError(PROVIDER, f"unreachable ({type(error).__name__})") from None
        check_answer(PROVIDER, response.status_code)
        try:
            return response.json()
        except ValueError:
            raise StockProviderError(PROVIDER, "the answer is not JSON") from None

    async def search(self, query: str, *, page: int, per_page: int,
                     orientation: str | None) -> SearchPage:
        params: dict[str, Any] = {"query": query, "page": page,
                                  "per_page": min(per_page, MAX_PER_PAGE)}
        if orientation:
            params["orientation"] = _ORIENTATION[orientation]
        body = await self._get(f"{self.base_url}/search/photos", params)
        try:
            return SearchPage(int(body.get("total") or 0), [_photo(r) for r in body["results"]])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise StockProviderError(PROVIDER, "the answer has an unknown shape") from None

    def owns(self, url: str) -> bool:
        """Whether `url` is on this API (a download location worth a ping with our key)."""
        return url.startswith(self.base_url + "/")

    async def track_download(self, download_location: str) -> None:
        """Tell Unsplash the photo is used (their guidelines: on every use)."""
        await self._get(download_location)
