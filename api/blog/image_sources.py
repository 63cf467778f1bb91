"""Where a blog image's bytes come from before they are checked and kept: a stock photo's
URL (through the outbound-URL guard), an upload (streamed, size-limited) or an image model
(OpenAI Images with the organization's key, else the platform's, else the offline card)."""

import asyncio
from typing import Any
from uuid import UUID

import structlog
from litestar import Request

from adapters.images.openai_images import Quality, Style
from adapters.images.pictures import Picture, generate_picture
from adapters.llm_keys import organization_key
from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, fetch
from adapters.secret_box import SecretBox
from adapters.settings import Settings
from adapters.stock_photos.photos import StockProviderError
from adapters.stock_photos.unsplash import UnsplashClient
from api.dependencies import AppServices
from api.uploads import read_upload
from domain.errors import InvalidCommandError

log = structlog.get_logger("copydesk.blog")


def max_bytes(settings: Settings) -> int:
    return int(settings.blog_image_max_mb * (1 << 20))


def _policy(settings: Settings) -> OutboundPolicy:
    return OutboundPolicy(allow_loopback=settings.feeds_allow_loopback,
                          max_bytes=max_bytes(settings),
                          timeout_seconds=min(settings.feed_timeout_seconds, 30.0))


async def download(settings: Settings, photo_url: str) -> bytes:
    """The photo's bytes; 422 naming `photo_url` when the guard or the server refuses."""
    try:
        return await fetch(photo_url, _policy(settings))
    except OutboundRefusedError as error:
        raise InvalidCommandError(f"photo_url: {error}") from None


async def track_unsplash_download(settings: Settings, keys: dict[str, str],
                                  download_location: str) -> bool:
    """Call Unsplash's download location (their guidelines, on every use) when it is on the
    Unsplash API copydesk talks to and a key is at hand; a failure is logged, not fatal:
    the photo is kept either way."""
    key = keys.get("unsplash")
    client = UnsplashClient(key or "", settings.unsplash_base_url,
                            settings.stock_timeout_seconds)
    if not key or not client.owns(download_location):
        return False
    try:
        await client.track_download(download_location)
    except StockProviderError as error:
        log.warning("unsplash_download_ping_failed", error=str(error))
        return False
    return True


async def uploaded(request: Request[Any, Any, Any], settings: Settings) -> bytes:
    """The `file` part of a multipart body: 413 past the limit (announced or counted as it
    streams, spooled to disk past 1 MB), so a huge upload is never held in memory."""
    upload = await read_upload(request, max_bytes=max_bytes(settings))
    try:
        return await asyncio.to_thread(upload.file.read)
    finally:
        upload.close()


async def generated(services: AppServices, org_id: UUID, *, prompt: str, title: str,
                    size: str, quality: Quality, style: Style) -> Picture:
    """A picture from OpenAI Images (the organization's key, else the platform's); with
    neither, the offline typographic card of the post's title."""
    async with services.pool.connection() as conn:
        key = await organization_key(conn, SecretBox(services.settings.secret_key), org_id,
                                     "openai")
    return await generate_picture(services.settings, key, prompt=prompt, title=title,
                                  size=size, quality=quality, style=style)
