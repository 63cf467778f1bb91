"""Auto-sync: an item approved in a project whose store connection has `auto_sync` on gets a
`store.sync` job for that item alone (mode selected), started by the auto-sync subscriber
(`workers.stores.autosync`) from the `catalog.ItemApproved` event — never inside the request
that approved it.

The job's id is derived from the approval (the item and the version of its approval event),
so an approval delivered twice finds its job and starts nothing more."""

import dataclasses
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from commands.catalog.access import find_item
from commands.jobs.lifecycle import CreateJob, create_job
from commands.stores.sync_kind import KIND as SYNC_JOB
from commands.unit_of_work import UnitOfWork
from domain.catalog.item_status import ItemStatus
from domain.catalog.project import Project
from domain.errors import NotFoundError
from domain.jobs.job import Job
from domain.stores.connection import StoreConnection

AUTO_SYNC_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:auto-sync")


def auto_sync_job_id(item_id: UUID, approval_version: int) -> UUID:
    return uuid5(AUTO_SYNC_NAMESPACE, f"{item_id}:{approval_version}")


@dataclasses.dataclass(frozen=True, kw_only=True)
class AutoSyncApprovedItem:
    """`approval_version`: the item's version at its `ItemApproved` event."""

    org_id: UUID
    project_id: UUID
    item_id: UUID
    approval_version: int
    approved_at: datetime


def auto_sync_approved_item(uow: UnitOfWork, cmd: AutoSyncApprovedItem) -> UUID | None:
    """Queue the item's sync job; None (nothing written) when this approval's job exists
    already, the project has no connection with auto-sync on since before the approval, or
    the item is no longer approved (edited back, excluded, synced meanwhile).
    JobAlreadyRunningError (409) while another sync runs on the project: try again later."""
    job_id = auto_sync_job_id(cmd.item_id, cmd.approval_version)
    if uow.get(Job, job_id).exists:
        return None
    project = uow.get(Project, cmd.project_id)
    if (not project.exists or project.org_id != cmd.org_id or project.purged
            or project.trashed_at is not None or project.store_connection_id is None):
        return None
    connection = uow.get(StoreConnection, project.store_connection_id)
    if connection.org_id != cmd.org_id or not connection.syncs_approvals_of(
            project.id, cmd.approved_at):
        return None
    item = find_item(uow, cmd.item_id)
    try:
        item.check_belongs_to(cmd.org_id, cmd.project_id)
    except NotFoundError:
        return None
    if item.excluded or item.status != ItemStatus.APPROVED:
        return None
    create_job(uow, CreateJob(
        org_id=cmd.org_id, project_id=cmd.project_id, job_id=job_id, kind=SYNC_JOB.name,
        parameters={"mode": "selected", "item_ids": [str(cmd.item_id)]},
        conflicts=SYNC_JOB.conflicts))
    return job_id
