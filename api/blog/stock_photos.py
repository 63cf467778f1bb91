"""`GET /api/v1/stock-photos/search`: one search across the organization's stock-photo
providers (its own keys, else the platform's), in the seed's shape (Pexels-like), each
photo with its provider, its own id and the credit that provider requires."""

from typing import Annotated

import msgspec
from litestar import get
from litestar.exceptions import ValidationException
from litestar.params import Parameter

from adapters.stock_photos.photos import ORIENTATIONS, StockPhoto, StockProviderError
from adapters.stock_photos.search import StockClient, client_for, search_all
from api.auth import AUTHENTICATED, Caller
from api.blog.stock_photo_keys import provider_keys
from api.dependencies import AppServices
from domain.blog.stock_photo_key import PROVIDERS
from domain.errors import InvalidCommandError, UnavailableError


class PhotoOut(msgspec.Struct):
    id: int
    """Pexels' id; for Unsplash (text ids) a stable number made from `provider_id`."""
    width: int
    height: int
    url: str
    photographer: str
    photographer_url: str
    avg_color: str
    alt: str
    src: dict[str, str]
    provider: str
    provider_id: str
    attribution: str
    """The credit to show beside the photo, as its provider requires."""
    attribution_html: str
    download_location: str
    """Unsplash: send it back with `from-stock`, which calls it as Unsplash requires."""

    @classmethod
    def of(cls, p: StockPhoto) -> "PhotoOut":
        return cls(id=p.number, width=p.width, height=p.height, url=p.url,
                   photographer=p.photographer, photographer_url=p.photographer_url,
                   avg_color=p.avg_color, alt=p.alt, src=p.src, provider=p.provider,
                   provider_id=p.provider_id, attribution=p.attribution,
                   attribution_html=p.attribution_html, download_location=p.download_location)


class SearchOut(msgspec.Struct):
    total_results: int
    page: int
    per_page: int
    photos: list[PhotoOut]
    providers: list[str]
    """The providers searched."""
    failed: dict[str, str]
    """Providers that could not answer this time, and why (the others' photos stand)."""


def _clients(keys: dict[str, str], provider: str | None,
             services: AppServices) -> dict[str, StockClient]:
    if provider is not None and provider not in PROVIDERS:
        raise ValidationException(f"provider must be one of {', '.join(PROVIDERS)}")
    chosen = {p: k for p, k in keys.items() if provider in (None, p)}
    if not chosen:
        raise InvalidCommandError(
            f"no stock photo key for {provider or 'any provider'}:"
            " add one with POST /api/v1/stock-photo-keys")
    return {p: client_for(p, k, services.settings) for p, k in sorted(chosen.items())}


@get("/api/v1/stock-photos/search", operation_id="search_stock_photos", tags=["blog"],
     summary="Search stock photos", dependencies=AUTHENTICATED)
async def search_stock_photos(
    services: AppServices, principal: Caller,
    q: Annotated[str, Parameter(description="Search query", min_length=1, max_length=200)],
    page: Annotated[int, Parameter(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=80)] = 20,
    orientation: Annotated[str | None, Parameter(max_length=20)] = None,
    provider: Annotated[str | None, Parameter(max_length=20)] = None,
) -> SearchOut:
    """Photos matching `q` from every provider the organization has a key for (or only
    `provider`), interleaved; `orientation`: landscape, portrait or square. A refused key
    is a 422 naming the provider; providers all unavailable, a 503."""
    if not q.strip():
        raise ValidationException("q must not be blank")
    if orientation is not None and orientation not in ORIENTATIONS:
        raise ValidationException(f"orientation must be one of {', '.join(ORIENTATIONS)}")
    clients = _clients(await provider_keys(services, principal.org_id), provider, services)
    try:
        merged = await search_all(clients, q.strip(), page=page, per_page=per_page,
                                  orientation=orientation)
    except StockProviderError as error:
        if error.refused:
            raise InvalidCommandError(f"the {error.provider} key was refused: update it with"
                                      " PATCH /api/v1/stock-photo-keys/{key_id}") from None
        raise UnavailableError(f"stock photos cannot be searched now ({error})",
                               retry_after=30) from None
    return SearchOut(total_results=merged.total, page=page, per_page=per_page,
                     photos=[PhotoOut.of(p) for p in merged.photos], providers=list(clients),
                     failed=merged.failed)


ROUTES = [search_stock_photos]
