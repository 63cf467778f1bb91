"""`/api/v1/projects/{project_id}/blog-posts/{post_id}/images`: a post's images — from a
stock photo, an upload or an image model. Whatever the source, the bytes must decode as a
picture and are re-encoded without metadata, then kept in the file store and served by
copydesk at `/api/v1/blog-images/{image_id}/file` (public: the id is random, and images
are made to be published). Another organization's post or image is a 404."""

import asyncio
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

import msgspec
from litestar import Request, delete, get, post
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import Parameter
from litestar.response import Stream

from adapters.files.store import file_store_for
from adapters.images.processing import CleanImage, clean
from adapters.settings import Settings
from api.auth import AUTHENTICATED, Caller
from api.blog import image_sources as sources
from api.blog.stock_photo_keys import provider_keys
from api.commanding import run_command
from api.dependencies import AppServices
from api.forms import form_operation
from api.stored_files import stored_file
from commands.blog import post_images as handlers
from domain.blog.post_image import MAX_ALT, MAX_URL
from domain.errors import NotFoundError
from projections.blog.media_queries import (
    PostImageRow,
    find_post_image,
    get_post_image,
    list_post_images,
)
from projections.blog.post_queries import get_post

WAIT_FOR = ("blog_media",)
IMAGES_PATH = "/api/v1/projects/{project_id:uuid}/blog-posts/{post_id:uuid}/images"
FILE_PATH = "/api/v1/blog-images/{image_id:uuid}/file"
_ALT = Annotated[str, msgspec.Meta(max_length=MAX_ALT * 2)]
_URL = Annotated[str, msgspec.Meta(max_length=MAX_URL)]
_PROVIDER_NAMES = {"unsplash": "Unsplash", "pexels": "Pexels"}


class FromStockIn(msgspec.Struct):
    photo_url: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_URL)]
    alt_text: _ALT = ""
    photographer: Annotated[str, msgspec.Meta(max_length=200)] = ""
    original_url: _URL = ""
    provider: Literal["unsplash", "pexels"] | None = None
    """As the search answered it; None: read from `original_url`'s host."""
    download_location: _URL = ""
    """Unsplash's, as the search answered it: called when the photo is used."""


class GenerateIn(msgspec.Struct):
    prompt: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    size: Literal["1024x1024", "1792x1024", "1024x1792"] = "1024x1024"
    quality: Literal["standard", "hd"] = "standard"
    style: Literal["natural", "vivid"] = "natural"


class ImageOut(msgspec.Struct):
    id: UUID
    blog_post_id: UUID
    s3_key: str
    """The file's key in copydesk's file store (S3 or a local folder)."""
    original_url: str
    source: str
    alt_text: str
    width: int
    height: int
    file_size: int
    variants: dict[str, Any]
    url: str
    """Where copydesk serves the file."""
    mime: str
    attribution: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: PostImageRow, settings: Settings) -> "ImageOut":
        url = settings.links_base() + FILE_PATH.replace("{image_id:uuid}", str(row.id))
        return cls(id=row.id, blog_post_id=row.post_id, s3_key=row.file_key,
                   original_url=row.original_url, source=row.source, alt_text=row.alt_text,
                   width=row.width, height=row.height, file_size=row.file_size,
                   variants={"original": {"url": url, "width": row.width, "height": row.height,
                                          "mime": row.mime}},
                   url=url, mime=row.mime, attribution=row.attribution,
                   created_at=row.created_at, updated_at=row.updated_at)


async def _post_title(services: AppServices, principal: Caller, project_id: UUID,
                      post_id: UUID) -> str:
    async with services.pool.connection() as conn:
        found = await get_post(conn, principal.org_id, project_id, post_id)
    if found is None:
        raise NotFoundError("blog post not found")
    return found.title


async def _find(services: AppServices, principal: Caller, post_id: UUID,
                image_id: UUID) -> PostImageRow:
    async with services.pool.connection() as conn:
        row = await get_post_image(conn, principal.org_id, image_id)
    if row is None or row.post_id != post_id:
        raise NotFoundError("blog image not found")
    return row


async def _keep(request: Request[Any, Any, Any], services: AppServices, principal: Caller,
                project_id: UUID, post_id: UUID, data: bytes, *, source: str, alt_text: str,
                original_url: str = "", attribution: str = "") -> ImageOut:
    """Check and re-encode the bytes, store the file, record the image (the file is
    deleted again if the record fails)."""
    picture: CleanImage = await asyncio.to_thread(clean, data)
    image_id = uuid4()
    key = f"{principal.org_id}/blog-images/{image_id}.{picture.extension}"
    store = file_store_for(services.settings)
    stored = await asyncio.to_thread(store.put, key, [picture.data])
    try:
        await run_command(request, principal, handlers.add_post_image, handlers.AddPostImage(
            org_id=principal.org_id, image_id=image_id, project_id=project_id,
            post_id=post_id, source=source, file_key=key, file_size=stored.size,
            mime=picture.mime, width=picture.width, height=picture.height,
            alt_text=alt_text, original_url=original_url, attribution=attribution),
            wait_for=WAIT_FOR)
    except BaseException:
        await asyncio.to_thread(store.delete, key)
        raise
    return ImageOut.of(await _find(services, principal, post_id, image_id), services.settings)


@get(IMAGES_PATH, operation_id="list_blog_images", tags=["blog"],
     summary="List blog post images", dependencies=AUTHENTICATED)
async def read_images(services: AppServices, principal: Caller, project_id: UUID,
                      post_id: UUID) -> list[ImageOut]:
    """The post's images, oldest first."""
    await _post_title(services, principal, project_id, post_id)
    async with services.pool.connection() as conn:
        rows = await list_post_images(conn, principal.org_id, post_id)
    return [ImageOut.of(row, services.settings) for row in rows]


def _credit(data: FromStockIn) -> str:
    provider: str | None = data.provider or next(
        (p for p in _PROVIDER_NAMES if p in data.original_url.lower()), None)
    if not data.photographer.strip():
        return ""
    where = f" on {_PROVIDER_NAMES[provider]}" if provider else ""
    return f"Photo by {data.photographer.strip()}{where}"


@post(IMAGES_PATH + "/from-stock", operation_id="add_stock_image", tags=["blog"],
      status_code=200, summary="Add image from stock photo", dependencies=AUTHENTICATED)
async def add_stock_image(request: Request[Any, Any, Any], services: AppServices,
                          principal: Caller, project_id: UUID, post_id: UUID,
                          data: FromStockIn) -> ImageOut:
    """Download the photo (through the outbound-URL guard), keep it re-encoded with its
    credit, and call Unsplash's download location when one is given."""
    await _post_title(services, principal, project_id, post_id)
    body = await sources.download(services.settings, data.photo_url)
    image = await _keep(request, services, principal, project_id, post_id, body,
                        source="stock", alt_text=data.alt_text,
                        original_url=data.original_url or data.photo_url,
                        attribution=_credit(data))
    if data.download_location:
        keys = await provider_keys(services, principal.org_id)
        await sources.track_unsplash_download(services.settings, keys, data.download_location)
    return image


@post(IMAGES_PATH + "/upload", operation_id="upload_blog_image", tags=["blog"],
      status_code=200, summary="Upload image", dependencies=AUTHENTICATED,
      request_max_body_size=None, operation_class=form_operation(
          {"file": Schema(type=OpenAPIType.STRING, format="binary")},  # type: ignore[arg-type]
          required=("file",)))
async def upload_image(
    request: Request[Any, Any, Any], services: AppServices, principal: Caller,
    project_id: UUID, post_id: UUID,
    alt_text: Annotated[str | None, Parameter(max_length=MAX_ALT * 2)] = None,
) -> ImageOut:
    """Attach an uploaded picture (PNG, JPEG, WebP or GIF, by its bytes): 413 past the size
    limit, 422 for a file that is not a picture."""
    await _post_title(services, principal, project_id, post_id)
    body = await sources.uploaded(request, services.settings)
    return await _keep(request, services, principal, project_id, post_id, body,
                       source="upload", alt_text=alt_text or "")


@post(IMAGES_PATH + "/ai-generate", operation_id="generate_blog_image", tags=["blog"],
      status_code=200, summary="Generate image with AI", dependencies=AUTHENTICATED)
async def generate_blog_image(request: Request[Any, Any, Any], services: AppServices,
                              principal: Caller, project_id: UUID, post_id: UUID,
                              data: GenerateIn) -> ImageOut:
    """A picture from OpenAI Images (DALL-E 3) with the organization's or the platform's
    key; with neither, an offline typographic card of the post's title. 503 when OpenAI
    cannot answer now."""
    title = await _post_title(services, principal, project_id, post_id)
    picture = await sources.generated(services, principal.org_id, prompt=data.prompt,
                                      title=title, size=data.size, quality=data.quality,
                                      style=data.style)
    return await _keep(request, services, principal, project_id, post_id, picture.data,
                       source="ai", alt_text=data.prompt[:MAX_ALT])


@delete(IMAGES_PATH + "/{image_id:uuid}", operation_id="delete_blog_image", tags=["blog"],
        summary="Delete blog image", dependencies=AUTHENTICATED)
async def delete_image(request: Request[Any, Any, Any], services: AppServices,
                       principal: Caller, project_id: UUID, post_id: UUID,
                       image_id: UUID) -> None:
    """Remove the image from the post, then its file."""
    await _post_title(services, principal, project_id, post_id)
    outcome = await run_command(request, principal, handlers.remove_post_image,
                                handlers.RemovePostImage(org_id=principal.org_id,
                                                         post_id=post_id, image_id=image_id),
                                wait_for=WAIT_FOR)
    await asyncio.to_thread(file_store_for(services.settings).delete, outcome.result)


@get(FILE_PATH, operation_id="get_blog_image_file", tags=["blog"],
     summary="A blog image's file", security=[], media_type="application/octet-stream")
async def read_image_file(services: AppServices, image_id: UUID) -> Stream:
    """The picture, for whoever has its link (a published post embeds it). (Its type goes
    in a header: the route's `media_type` would override a stream's own.)"""
    async with services.pool.connection() as conn:
        row = await find_post_image(conn, image_id)
    if row is None:
        raise NotFoundError("blog image not found")
    return await stored_file(services.settings, row.file_key, missing="blog image not found",
                             headers={
        "Content-Type": row.mime, "Cache-Control": "public, max-age=86400, immutable",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"})


ROUTES = [read_images, add_stock_image, upload_image, generate_blog_image, delete_image,
          read_image_file]
