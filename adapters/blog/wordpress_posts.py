"""Posts and media on a WordPress site (`/wp-json/wp/v2/posts`, `/wp-json/wp/v2/media`).

Every post copydesk writes carries its copydesk id in the meta key `copydesk_post_id`, so
that a publish whose answer was lost (we crashed between WordPress's answer and our event)
finds the post it made instead of making a second one. WordPress shows only meta a plugin
registered for REST, so `find_post` falls back to the slug (and the title), looked up with
`status=any&context=edit` — which needs the authenticated user, as every call here has."""

import dataclasses
import re
from typing import Any

from adapters.blog.wordpress import Site, WordPressError, call, json_body
from adapters.outbound_urls import OutboundPolicy

META_KEY = "copydesk_post_id"
POSTS = "/wp-json/wp/v2/posts"
MEDIA = "/wp-json/wp/v2/media"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostFields:
    """What copydesk sends for one post."""

    copydesk_id: str
    title: str
    content: str
    excerpt: str
    slug: str
    status: str
    categories: tuple[int, ...] = ()
    featured_media: int | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"title": self.title, "content": self.content,
                                "excerpt": self.excerpt, "status": self.status,
                                "meta": {META_KEY: self.copydesk_id}}
        if self.slug:
            body["slug"] = self.slug
        if self.categories:
            body["categories"] = list(self.categories)
        if self.featured_media is not None:
            body["featured_media"] = self.featured_media
        return body


@dataclasses.dataclass(frozen=True, kw_only=True)
class WordPressPost:
    id: int
    link: str
    status: str
    slug: str


def _post(body: Any) -> WordPressPost:
    if not isinstance(body, dict) or not isinstance(body.get("id"), int):
        raise WordPressError("the site's answer for the post is not a WordPress post")
    return WordPressPost(id=body["id"], link=str(body.get("link") or ""),
                         status=str(body.get("status") or ""), slug=str(body.get("slug") or ""))


async def create_post(site: Site, fields: PostFields, policy: OutboundPolicy) -> WordPressPost:
    return _post(json_body(await call(site, "POST", POSTS, policy, body=fields.body())))


async def update_post(site: Site, post_id: int, fields: PostFields, policy: OutboundPolicy,
                      ) -> WordPressPost:
    """WordPressNotFoundError when the site no longer has the post."""
    return _post(json_body(await call(site, "POST", f"{POSTS}/{post_id}", policy,
                                      body=fields.body())))


async def set_status(site: Site, post_id: int, status: str, policy: OutboundPolicy,
                     ) -> WordPressPost:
    return _post(json_body(await call(site, "POST", f"{POSTS}/{post_id}", policy,
                                      body={"status": status})))


async def find_post(site: Site, fields: PostFields, policy: OutboundPolicy,
                    ) -> WordPressPost | None:
    """The post an earlier attempt made for `fields.copydesk_id`, if the site has it: by
    slug first, then by a title search (WordPress may have suffixed a taken slug, `-2`)."""
    lookups = ([{"slug": fields.slug}] if fields.slug else []) + [{"search": fields.title}]
    for lookup in lookups:
        found = json_body(await call(site, "GET", POSTS, policy, params={
            **lookup, "status": "any", "context": "edit", "per_page": "20"}))
        if not isinstance(found, list):
            raise WordPressError("the site's answer for posts is not a list")
        mine = _ours([p for p in found if isinstance(p, dict)], fields)
        if mine is not None:
            return _post(mine)
    return None


def _ours(candidates: list[dict[str, Any]], fields: PostFields) -> dict[str, Any] | None:
    """The marked candidate; without the meta key shown, the one with our title and slug."""
    for post in candidates:
        meta = post.get("meta")
        if isinstance(meta, dict) and meta.get(META_KEY) == fields.copydesk_id:
            return post
    for post in candidates:
        meta = post.get("meta")
        if isinstance(meta, dict) and META_KEY in meta:
            continue  # marked by another copydesk post
        title = post.get("title")
        raw = title.get("raw") if isinstance(title, dict) else None
        slug = str(post.get("slug") or "")
        if raw == fields.title and (not fields.slug or slug == fields.slug
                                    or slug.startswith(fields.slug + "-")):
            return post
    return None


async def upload_media(site: Site, filename: str, content_type: str, data: bytes,
                       policy: OutboundPolicy) -> int:
    """Upload an image as WordPress wants it (the raw file, its name in
    Content-Disposition); the media id to set as `featured_media`."""
    name = _UNSAFE_NAME.sub("-", filename).strip("-") or "image"
    response = await call(site, "POST", MEDIA, policy, content=data, headers={
        "Content-Type": content_type, "Content-Disposition": f'attachment; filename="{name}"'})
    body = json_body(response)
    if not isinstance(body, dict) or not isinstance(body.get("id"), int):
        raise WordPressError("the site's answer for the upload is not a WordPress media item")
    return int(body["id"])
