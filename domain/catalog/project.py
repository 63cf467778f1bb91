"""A project: one store's catalog (its sources and items) on one platform, with a trash."""

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.aggregate import Aggregate
from domain.catalog.errors import ProjectInTrashError
from domain.catalog.events import (
    ProjectCreated,
    ProjectPurged,
    ProjectRestored,
    ProjectSourceAdded,
    ProjectSourceRemoved,
    ProjectTrashed,
    ProjectTruncated,
    ProjectUpdated,
)
from domain.catalog.records import PLATFORMS
from domain.errors import AlreadyExistsError, InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.jobs.errors import JobAlreadyRunningError

MAX_NAME_LENGTH = 200
JOB_RUNNING = "a job is running on this project"
IN_TRASH = "the project is in the trash; restore it first"


def check_platform(platform: str) -> str:
    if platform not in PLATFORMS:
        raise InvalidCommandError(
            f"unknown platform {platform!r}: expected one of {', '.join(PLATFORMS)}")
    return platform


def check_project_name(name: str) -> str:
    text = name.strip()
    if not 1 <= len(text) <= MAX_NAME_LENGTH:
        raise InvalidCommandError(f"name must be 1 to {MAX_NAME_LENGTH} characters")
    return text


class Project(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.name = ""
        self.platform = ""
        self.settings: dict[str, Any] = {}
        self.store_connection_id: UUID | None = None
        self.source_ids: list[UUID] = []  # its live sources, oldest first
        self.trashed_at: datetime | None = None
        self.purged = False

    def create(self, *, org_id: UUID, name: str, platform: str,
               settings: dict[str, Any] | None = None) -> None:
        if self.exists:
            raise AlreadyExistsError("project already exists")
        self._record(ProjectCreated(
            org_id=org_id, name=check_project_name(name), platform=check_platform(platform),
            settings=dict(settings or {}),
        ))

    def update(self, *, name: str | None = None, settings: dict[str, Any] | None = None,
               store_connection_id: UUID | None = None, clear_store_connection: bool = False,
               ) -> None:
        """None keeps a field; nothing is recorded when nothing changes."""
        self.check_not_trashed()
        new_name = self.name if name is None else check_project_name(name)
        new_settings = self.settings if settings is None else dict(settings)
        connection = (None if clear_store_connection
                      else store_connection_id or self.store_connection_id)
        if (new_name, new_settings, connection) != (
                self.name, self.settings, self.store_connection_id):
            self._record(ProjectUpdated(org_id=self._org_id, name=new_name,
                                        settings=new_settings, store_connection_id=connection))

    def add_source(self, source_id: UUID) -> None:
        self.check_not_trashed()
        if source_id not in self.source_ids:
            self._record(ProjectSourceAdded(org_id=self._org_id, source_id=source_id))

    def remove_source(self, source_id: UUID) -> None:
        self.check_not_trashed()
        if source_id in self.source_ids:
            self._record(ProjectSourceRemoved(org_id=self._org_id, source_id=source_id))

    def has_source(self, source_id: UUID | None) -> bool:
        return source_id in self.source_ids

    def trash(self) -> None:
        if self.trashed_at is None:
            self._record(ProjectTrashed(org_id=self._org_id))

    def restore(self) -> None:
        if self.trashed_at is not None:
            self._record(ProjectRestored(org_id=self._org_id))

    def truncate(self, *, has_running_job: bool) -> list[UUID]:
        """Record that every source is gone; their ids (the caller deletes each source)."""
        self.check_not_trashed()
        if has_running_job:
            raise JobAlreadyRunningError(JOB_RUNNING)
        gone = list(self.source_ids)
        self._record(ProjectTruncated(org_id=self._org_id, source_ids=tuple(gone)))
        return gone

    def purge(self) -> None:
        self._record(ProjectPurged(org_id=self._org_id))

    def check_belongs_to(self, org_id: UUID) -> None:
        """NotFoundError unless this is a project of `org_id` that was not purged."""
        if not self.exists or self.org_id != org_id or self.purged:
            raise NotFoundError("project not found")

    def check_not_trashed(self) -> None:
        if self.trashed_at is not None:
            raise ProjectInTrashError(IN_TRASH)

    @property
    def _org_id(self) -> UUID:
        assert self.org_id is not None, "the project was never created"
        return self.org_id

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case ProjectCreated():
                self.org_id = event.org_id
                self.name = event.name
                self.platform = event.platform
                self.settings = dict(event.settings)
            case ProjectUpdated():
                self.name = event.name
                self.settings = dict(event.settings)
                self.store_connection_id = event.store_connection_id
            case ProjectSourceAdded(source_id=source_id):
                self.source_ids.append(source_id)
            case ProjectSourceRemoved(source_id=source_id):
                self.source_ids = [s for s in self.source_ids if s != source_id]
            case ProjectTrashed():
                self.trashed_at = event.occurred_at
            case ProjectRestored():
                self.trashed_at = None
            case ProjectTruncated():
                self.source_ids = []
            case ProjectPurged():
                self.purged = True
            case _:
                pass
