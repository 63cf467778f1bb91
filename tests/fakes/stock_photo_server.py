"""A local fake of the Unsplash and Pexels APIs, in their real HTTP shapes, that also serves
the photos themselves (real JPEGs with EXIF, to check it is stripped):

* Unsplash `GET /search/photos?query=&page=&per_page=&orientation=` with
  `Authorization: Client-ID <key>` → `{total, total_pages, results[{id, width, height, color,
  alt_description, urls{raw, full, regular, small, thumb}, links{html, download,
  download_location}, user{name, username, links{html}}}]}`; `GET /photos/<id>/download`
  (the download location) → `{url}`, counted in `downloads`.
* Pexels `GET /v1/search?query=&page=&per_page=&orientation=` with `Authorization: <key>`
  → `{total_results, page, per_page, photos[{id, width, height, url, photographer,
  photographer_url, avg_color, alt, src{original, large2x, large, medium, small, portrait,
  landscape, tiny}}], next_page}`.

A wrong key answers 401 as each provider does.

    with running_fake_stock_photos() as fake: fake.unsplash_keys.add("k"); fake.base_url …
"""

import contextlib
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from tests.fakes.serving import QuietHandler, serving

TOTAL = 42  # photos each provider pretends to hold for any query


def photo_jpeg(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 90, 40),
               ) -> bytes:
    """A real JPEG carrying EXIF (a camera make and a GPS block) that must not survive."""
    exif = Image.Exif()
    exif[0x010F] = "FakeCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


class FakeStockPhotos:
    SEED_UNSPLASH_KEY = "seed-unsplash-access-key"
    SEED_PEXELS_KEY = "seed-pexels-api-key"

    def __init__(self) -> None:
        self.unsplash_keys: set[str] = set()
        self.pexels_keys: set[str] = set()
        self.requests: list[tuple[str, str, dict[str, list[str]], str]] = []
        """(provider, path, query, authorization) of each API call."""
        self.downloads: list[str] = []
        """Unsplash photo ids whose download location was called."""
        self.failing: set[str] = set()
        """Providers that answer 500."""
        self.base_url = ""

    def photo_url(self, name: str) -> str:
        return f"{self.base_url}/files/{name}.jpg"

    def _unsplash(self, query: dict[str, list[str]]) -> dict[str, Any]:
        page, per_page = int(query.get("page", ["1"])[0]), int(query.get("per_page", ["10"])[0])
        words = query["query"][0]
        results = []
        for n in range((page - 1) * per_page, min(page * per_page, TOTAL)):
            pid = f"us{n:04d}Xy"
            results.append({
                "id": pid, "width": 4000, "height": 3000, "color": "#a0522d",
                "description": None, "alt_description": f"{words} number {n}",
                "urls": {size: self.photo_url(f"{pid}-{size}")
                         for size in ("raw", "full", "regular", "small", "thumb")},
                "links": {"self": f"{self.base_url}/photos/{pid}",
                          "html": f"https://unsplash.com/photos/{pid}",
                          "download": f"https://unsplash.com/photos/{pid}/download",
                          "download_location": f"{self.base_url}/photos/{pid}/download?ixid=x"},
                "user": {"name": f"Una Splash {n}", "username": f"una{n}",
                         "links": {"html": f"https://unsplash.com/@una{n}"}}})
        return {"total": TOTAL, "total_pages": -(-TOTAL // per_page), "results": results}

    def _pexels(self, query: dict[str, list[str]]) -> dict[str, Any]:
        page, per_page = int(query.get("page", ["1"])[0]), int(query.get("per_page", ["15"])[0])
        words = query["query"][0]
        photos = []
        for n in range((page - 1) * per_page, min(page * per_page, TOTAL)):
            pid = 100000 + n
            photos.append({
                "id": pid, "width": 3000, "height": 2000, "url": f"https://www.pexels.com/photo/{pid}/",
                "photographer": f"Pex Els {n}", "photographer_url": f"https://www.pexels.com/@pex{n}",
                "photographer_id": n, "avg_color": "#778899", "liked": False,
                "alt": f"{words} picture {n}",
                "src": {size: self.photo_url(f"px{pid}-{size}") for size in (
                    "original", "large2x", "large", "medium", "small", "portrait",
                    "landscape", "tiny")}})
        return {"total_results": TOTAL, "page": page, "per_page": per_page, "photos": photos,
                "next_page": f"{self.base_url}/v1/search?page={page + 1}"}

    def handle(self, method: str, target: str, auth: str) -> tuple[int, str, bytes]:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/files/"):
            return 200, "image/jpeg", photo_jpeg()
        if path == "/search/photos" or (path.startswith("/photos/") and path.endswith("/download")):
            self.requests.append(("unsplash", path, query, auth))
            if "unsplash" in self.failing:
                return _json(500, {"errors": ["server error"]})
            if not auth.startswith("Client-ID ") or auth[10:] not in self.unsplash_keys:
                return _json(401, {"errors": ["OAuth error: The access token is invalid"]})
            if path == "/search/photos":
                return _json(200, self._unsplash(query))
            self.downloads.append(path.split("/")[2])
            return _json(200, {"url": self.photo_url(path.split("/")[2])})
        if path == "/v1/search":
            self.requests.append(("pexels", path, query, auth))
            if "pexels" in self.failing:
                return _json(500, {"error": "server error"})
            if auth not in self.pexels_keys:
                return _json(401, {"error": "Unauthorized"})
            return _json(200, self._pexels(query))
        return _json(404, {"error": "not found"})


def _json(status: int, body: object) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


@contextlib.contextmanager
def running_fake_stock_photos() -> Iterator[FakeStockPhotos]:
    fake = FakeStockPhotos()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self.answer(*fake.handle("GET", self.path, self.headers.get("Authorization", "")))

    with serving(Handler) as base_url:
        fake.base_url = base_url
        yield fake
