"""A stock photo as copydesk shows it, whichever provider it comes from, with the credit
that provider requires; and the errors of a provider call."""

import dataclasses
import hashlib

ORIENTATIONS = ("landscape", "portrait", "square")


@dataclasses.dataclass(frozen=True, kw_only=True)
class StockPhoto:
    provider: str
    provider_id: str
    width: int
    height: int
    url: str
    """The photo's page at the provider."""
    photographer: str
    photographer_url: str
    avg_color: str
    alt: str
    src: dict[str, str]
    """Image URLs by size (`original`, `large`, `medium`, `small`, `tiny`)."""
    attribution: str
    """The credit to show beside the photo, as the provider asks for it."""
    attribution_html: str
    download_location: str = ""
    """Unsplash only: to be called when the photo is used (their API guidelines)."""

    @property
    def number(self) -> int:
        """A numeric id (the seed's shape): Pexels' own; for a provider with text ids, a
        stable 53-bit digest of it (exact in any JSON reader)."""
        if self.provider_id.isdigit():
            return int(self.provider_id)
        digest = hashlib.sha256(f"{self.provider}:{self.provider_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") >> 11


@dataclasses.dataclass(frozen=True)
class SearchPage:
    total: int
    photos: list[StockPhoto]


class StockProviderError(Exception):
    """A provider call failed; `refused` when the provider refused the key (401/403)."""

    def __init__(self, provider: str, message: str, *, refused: bool = False) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.refused = refused


def check_answer(provider: str, status: int) -> None:
    if status in (401, 403):
        raise StockProviderError(provider, f"the key was refused ({status})", refused=True)
    if status == 429:
        raise StockProviderError(provider, "rate limit reached (429)")
    if not 200 <= status < 300:
        raise StockProviderError(provider, f"the provider answered {status}")
