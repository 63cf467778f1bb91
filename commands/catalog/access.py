"""Loading catalog aggregates for a command: only an organization's own, and only live ones
(an item of a deleted source, or of a purged project, is not found)."""

from collections.abc import Iterable
from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.catalog.content_item import ContentItem
from domain.catalog.data_source import DataSource
from domain.catalog.import_batch import IMPORTED_ITEMS, ItemBirth
from domain.catalog.project import Project
from domain.errors import InvalidCommandError, NotFoundError

MAX_BATCH_ITEMS = 1000


def load_project(uow: UnitOfWork, org_id: UUID, project_id: UUID) -> Project:
    """A project of this organization, in the trash or not; NotFoundError otherwise."""
    project = uow.get(Project, project_id)
    project.check_belongs_to(org_id)
    return project


def load_active_project(uow: UnitOfWork, org_id: UUID, project_id: UUID) -> Project:
    """As `load_project`, and not in the trash (ConflictError)."""
    project = load_project(uow, org_id, project_id)
    project.check_not_trashed()
    return project


def load_source(uow: UnitOfWork, org_id: UUID, project_id: UUID, source_id: UUID) -> DataSource:
    source = uow.get(DataSource, source_id)
    source.check_belongs_to(org_id, project_id)
    return source


def load_item(uow: UnitOfWork, org_id: UUID, project_id: UUID, item_id: UUID,
              *, allow_trashed: bool = False) -> ContentItem:
    """An item of this project whose source still exists; the project must not be in the
    trash unless `allow_trashed` (a generation job finishing its work). The project knows
    its live sources, so the item's (possibly large) source is not loaded."""
    project = (load_project(uow, org_id, project_id) if allow_trashed
               else load_active_project(uow, org_id, project_id))
    item = find_item(uow, item_id)
    item.check_belongs_to(org_id, project_id)
    if not project.has_source(item.source_id):
        raise NotFoundError(f"item {item_id} not found")
    return item


def find_item(uow: UnitOfWork, item_id: UUID) -> ContentItem:
    """The item (`exists` False when there is none), knowing its product: from its own
    stream, or for one imported in a batch from the `imported-items` index."""
    item = uow.get(ContentItem, item_id)
    if not item.knows_its_product:
        entry = uow.look_up(IMPORTED_ITEMS, item_id)
        if entry is not None:
            item.adopt(ItemBirth.from_entry(item_id, entry))
    return item


def load_items(uow: UnitOfWork, org_id: UUID, project_id: UUID, item_ids: Iterable[UUID],
               *, allow_trashed: bool = False) -> list[ContentItem]:
    """Each item once, in the order given; NotFoundError for the first missing one."""
    unique = list(dict.fromkeys(item_ids))
    if len(unique) > MAX_BATCH_ITEMS:
        raise InvalidCommandError(f"at most {MAX_BATCH_ITEMS} items at once")
    return [load_item(uow, org_id, project_id, i, allow_trashed=allow_trashed) for i in unique]
