"""Blog commands on the images of blog posts. The file is already in the file store when
the command runs (the route stored it); the event records where and what it is."""

import dataclasses
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.blog.post_image import PostImage


@dataclasses.dataclass(frozen=True, kw_only=True)
class AddPostImage:
    org_id: UUID
    image_id: UUID
    project_id: UUID
    post_id: UUID
    source: str
    file_key: str
    file_size: int
    mime: str
    width: int
    height: int
    alt_text: str = ""
    original_url: str = ""
    attribution: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class RemovePostImage:
    org_id: UUID
    post_id: UUID
    image_id: UUID


def add_post_image(uow: UnitOfWork, cmd: AddPostImage) -> UUID:
    uow.get(PostImage, cmd.image_id).add(
        org_id=cmd.org_id, project_id=cmd.project_id, post_id=cmd.post_id, source=cmd.source,
        file_key=cmd.file_key, file_size=cmd.file_size, mime=cmd.mime, width=cmd.width,
        height=cmd.height, alt_text=cmd.alt_text, original_url=cmd.original_url,
        attribution=cmd.attribution)
    return cmd.image_id


def remove_post_image(uow: UnitOfWork, cmd: RemovePostImage) -> str:
    """Remove the image; its file key, for the caller to delete the file once recorded."""
    image = uow.get(PostImage, cmd.image_id)
    image.remove(cmd.org_id, cmd.post_id)
    return image.file_key
