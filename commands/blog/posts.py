"""Blog commands on a project's blog posts: create (queues its `blog.generate` job), regenerate,
change (a reviewer's edit; a new slug is claimed in the project's slug directory), delete,
and what a generation job records. The job's slot is the post's id: one generation of a post
runs at a time, while several posts of a project are written side by side."""

import contextlib
import dataclasses
from typing import Any
from uuid import UUID

from commands.blog.post_images import RemovePostImage, remove_post_image
from commands.catalog.access import load_active_project, load_item
from commands.jobs.lifecycle import CreateJob, create_job
from commands.unit_of_work import UnitOfWork
from domain.blog.builtin_templates import is_built_in
from domain.blog.html_sanitizer import sanitize_html
from domain.blog.post import BlogPost
from domain.blog.post_settings import stored_settings
from domain.blog.post_slugs import BlogSlugDirectory, check_slug, slug_directory_id
from domain.blog.template import BlogTemplate
from domain.errors import DomainError, NotFoundError

GENERATE_KIND = "blog.generate"


@dataclasses.dataclass(frozen=True, kw_only=True)
class CreatePost:
    org_id: UUID
    project_id: UUID
    post_id: UUID
    job_id: UUID
    post_type: str
    topic: str
    source_item_ids: tuple[UUID, ...] = ()
    wp_category_ids: tuple[int, ...] = ()
    template_id: UUID | None = None
    ai_settings: dict[str, Any] = dataclasses.field(default_factory=dict)
    created_by: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RegeneratePost:
    org_id: UUID
    project_id: UUID
    post_id: UUID
    job_id: UUID
    created_by: UUID | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChangePost:
    org_id: UUID
    project_id: UUID
    post_id: UUID
    changes: dict[str, Any]
    """Field name → new value; fields left out do not change. Content is sanitised here."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeletePost:
    org_id: UUID
    project_id: UUID
    post_id: UUID
    image_ids: tuple[UUID, ...] = ()
    """The post's images, removed with it."""


def check_source_items(uow: UnitOfWork, org_id: UUID, project_id: UUID,
                       item_ids: tuple[UUID, ...]) -> None:
    """NotFoundError naming every id that is not an item of the organization's project."""
    missing = []
    for item_id in item_ids:
        try:
            load_item(uow, org_id, project_id, item_id)
        except NotFoundError:
            missing.append(str(item_id))
    if missing:
        raise NotFoundError(f"source_item_ids not found in this project: {', '.join(missing)}")


def _job(uow: UnitOfWork, post: BlogPost, job_id: UUID, created_by: UUID | None) -> None:
    assert post.org_id is not None and post.project_id is not None
    create_job(uow, CreateJob(
        org_id=post.org_id, project_id=post.id, job_id=job_id, kind=GENERATE_KIND,
        parameters={"post": str(post.id), "project": str(post.project_id)},
        conflicts=frozenset({GENERATE_KIND}), created_by=created_by))


def create_post(uow: UnitOfWork, cmd: CreatePost) -> UUID:
    """A new post of the project, and the job that writes it; returns the post's id."""
    load_active_project(uow, cmd.org_id, cmd.project_id)
    check_source_items(uow, cmd.org_id, cmd.project_id, cmd.source_item_ids)
    if cmd.template_id is not None and not is_built_in(cmd.template_id):
        try:
            uow.get(BlogTemplate, cmd.template_id).check_is_live(cmd.org_id)
        except NotFoundError:
            raise NotFoundError(f"template_id {cmd.template_id} is not a blog template of"
                                " this organization") from None
    post = uow.get(BlogPost, cmd.post_id)
    post.create(org_id=cmd.org_id, project_id=cmd.project_id, post_type=cmd.post_type,
                topic=cmd.topic, source_item_ids=tuple(str(i) for i in cmd.source_item_ids),
                wp_category_ids=cmd.wp_category_ids, template_id=cmd.template_id,
                ai_settings=stored_settings(cmd.ai_settings), job_id=cmd.job_id)
    _job(uow, post, cmd.job_id, cmd.created_by)
    return cmd.post_id


def load_post(uow: UnitOfWork, org_id: UUID, project_id: UUID, post_id: UUID) -> BlogPost:
    post = uow.get(BlogPost, post_id)
    post.check_belongs_to(org_id, project_id)
    return post


def regenerate_post(uow: UnitOfWork, cmd: RegeneratePost) -> UUID:
    """A new generation job for the post (its current text stays as a version)."""
    post = load_post(uow, cmd.org_id, cmd.project_id, cmd.post_id)
    post.start_regeneration(cmd.org_id, cmd.job_id)
    _job(uow, post, cmd.job_id, cmd.created_by)
    return cmd.job_id


def change_post(uow: UnitOfWork, cmd: ChangePost) -> None:
    post = load_post(uow, cmd.org_id, cmd.project_id, cmd.post_id)
    if cmd.changes.get("source_item_ids") is not None:
        ids = tuple(UUID(str(i)) for i in cmd.changes["source_item_ids"])
        check_source_items(uow, cmd.org_id, cmd.project_id, ids)
    changes = dict(cmd.changes)
    if isinstance(changes.get("content"), str):
        changes["content"] = sanitize_html(changes["content"])
    if isinstance(changes.get("slug"), str):
        changes["slug"] = check_slug(changes["slug"].strip())
    before = post.slug
    if post.change(cmd.org_id, changes) and post.slug != before:
        directory = uow.get(BlogSlugDirectory, slug_directory_id(cmd.org_id, cmd.project_id))
        directory.claim(cmd.org_id, post.id, post.slug)


def delete_post(uow: UnitOfWork, cmd: DeletePost) -> list[str]:
    """Delete the post and its images; the images' file keys, for the caller to delete the
    files once this is recorded."""
    post = load_post(uow, cmd.org_id, cmd.project_id, cmd.post_id)
    post.delete(cmd.org_id)
    uow.get(BlogSlugDirectory, slug_directory_id(cmd.org_id, cmd.project_id)).release(
        cmd.org_id, post.id)
    keys = []
    for image_id in cmd.image_ids:
        with contextlib.suppress(NotFoundError):  # removed meanwhile: nothing left to do
            keys.append(remove_post_image(uow, RemovePostImage(
                org_id=cmd.org_id, post_id=post.id, image_id=image_id)))
    return keys


@dataclasses.dataclass(frozen=True, kw_only=True)
class WrittenPost:
    """What a writer wrote (HTML already sanitised), to record on the post."""

    title: str
    content: str
    excerpt: str
    seo_meta: dict[str, Any]
    product_links: dict[str, Any]
    provider: str
    model: str
    confidence_score: float
    issues: tuple[str, ...]


def record_post_generation(uow: UnitOfWork, org_id: UUID, post_id: UUID, job_id: UUID,
                           written: WrittenPost) -> BlogPost:
    """Keep the text on the post, under a slug made of its title that is free in the project
    (the post keeps its own when it has one)."""
    post = uow.get(BlogPost, post_id)
    post.check_is_live(org_id)
    assert post.project_id is not None
    directory = uow.get(BlogSlugDirectory, slug_directory_id(org_id, post.project_id))
    slug = post.slug or directory.free_slug(post.id, written.title)
    directory.claim(org_id, post.id, slug)
    post.record_generation(
        org_id, job_id=job_id, title=written.title, content=written.content,
        excerpt=written.excerpt, slug=slug, seo_meta=written.seo_meta,
        product_links=written.product_links, provider=written.provider, model=written.model,
        confidence_score=written.confidence_score, issues=written.issues)
    return post


def record_post_generation_failure(uow: UnitOfWork, org_id: UUID, post_id: UUID,
                                   job_id: UUID, reason: str) -> None:
    # deleted meanwhile, or another generation took over: the job's outcome says it all
    with contextlib.suppress(DomainError):
        uow.get(BlogPost, post_id).record_generation_failure(org_id, job_id, reason)
