"""`POST /api/v1/pages/<id>/generate-preview-image` (≡ `/api/pages/:id/generate-preview-image`,
seed 002): a preview image of an HTML page made by OpenAI Images with the organization's key
(else the platform's), else the offline card of the page's name in its own colours; checked,
kept in the file store under `previews/` and recorded on the page. `GET
/api/v1/pages/preview-images/<file>` serves it to anyone (a shared link shows it)."""

import asyncio
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.response import Stream

from adapters.files.store import file_store_for
from adapters.images.pictures import generate_picture
from adapters.images.processing import clean
from adapters.llm_keys import organization_key
from adapters.secret_box import SecretBox
from api.auth import AUTHENTICATED, Caller
from api.commanding import run_command
from api.dependencies import AppServices
from api.pages.html_pages import PAGE_PATH, PAGES_PATH, find_page, preview_url
from api.search.numbers import check_number
from api.stored_files import stored_file
from commands.pages import html_pages as handlers
from domain.errors import NotFoundError
from domain.pages.html_pages import MAX_HTML_BYTES
from domain.pages.preview_images import (
    FILE_NAME,
    MAX_INSTRUCTIONS,
    MIME,
    SIZE,
    page_colours,
    preview_file_name,
    preview_prompt,
)

PREFIX = "previews/"


class PreviewIn(msgspec.Struct, forbid_unknown_fields=True):
    html: Annotated[str, msgspec.Meta(max_length=MAX_HTML_BYTES)] | None = None
    """HTML to base the image on; the page's own when left out."""
    customInstructions: Annotated[str, msgspec.Meta(max_length=MAX_INSTRUCTIONS)] | None = None


class PreviewOut(msgspec.Struct):
    success: bool
    imageUrl: str
    message: str


@post(PAGE_PATH + "/generate-preview-image", operation_id="generate_html_page_preview_image",
      tags=["html-pages"], status_code=200, summary="Generate a page's preview image",
      dependencies=AUTHENTICATED)
async def generate_preview_image(request: Request[Any, Any, Any], services: AppServices,
                                 principal: Caller, page_id: int,
                                 data: PreviewIn | None = None) -> PreviewOut:
    """Make, keep and record a new preview image of the organization's page (404 for
    another organization's); 422 when OpenAI refuses, 503 when it is unavailable."""
    wanted = data or PreviewIn()
    row = await find_page(services, principal, check_number(page_id, "page"))
    html = wanted.html if wanted.html is not None else row.html_content
    async with services.pool.connection() as conn:
        key = await organization_key(conn, SecretBox(services.settings.secret_key),
                                     principal.org_id, "openai")
    picture = await generate_picture(
        services.settings, key, prompt=preview_prompt(row.name, html,
                                                      wanted.customInstructions or ""),
        title=row.name, size=SIZE, colours=page_colours(html))
    image = await asyncio.to_thread(clean, picture.data)
    file_name = preview_file_name(row.number, image.data, image.extension)
    store = file_store_for(services.settings)
    await asyncio.to_thread(store.put, PREFIX + file_name, [image.data])
    await run_command(request, principal, handlers.set_html_preview_image,
                      handlers.SetHtmlPreviewImage(org_id=principal.org_id, number=row.number,
                                                   file_name=file_name,
                                                   made_by=picture.made_by),
                      wait_for=("pages",))
    return PreviewOut(success=True, imageUrl=preview_url(request, file_name),
                      message="Preview image generated successfully")


@get(PAGES_PATH + "/preview-images/{file_name:str}", operation_id="read_html_page_preview_image",
     tags=["html-pages"], summary="A page's preview image", security=[],
     media_type="image/png")
async def read_preview_image(services: AppServices, file_name: str) -> Stream:
    """The picture, for whoever has its link; its name carries its hash, so it never changes."""
    name = FILE_NAME.fullmatch(file_name)
    if name is None:
        raise NotFoundError("preview image not found")
    return await stored_file(services.settings, PREFIX + file_name,
                             missing="preview image not found", headers={
        "Content-Type": MIME[name.group(1)], "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"})


ROUTES = [generate_preview_image, read_preview_image]
