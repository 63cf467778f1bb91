"""The jobs running on one project of one organization, so conflicting ones never overlap.

Its id is `uuid5(namespace, "job-slot:<org>:<project>")`: two requests starting jobs on one
project write the same aggregate, and the store lets only one of them append first; the
other, retried, sees the running job and is refused.
"""

from collections.abc import Iterable
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.events import DomainEvent
from domain.jobs.errors import JobAlreadyRunningError
from domain.jobs.events import JobSlotReleased, JobSlotTaken

SLOT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:job-slots")


def job_slot_id(org_id: UUID, project_id: UUID) -> UUID:
    return uuid5(SLOT_NAMESPACE, f"job-slot:{org_id}:{project_id}")


class ProjectJobSlot(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.running: dict[UUID, tuple[str, frozenset[str]]] = {}
        """Job id → (its kind, the kinds it may not run beside)."""

    def take(
        self, *, org_id: UUID, project_id: UUID, job_id: UUID, kind: str, conflicts: Iterable[str],
    ) -> None:
        """Make room for a new job, or ConflictError when a running job conflicts with it
        (either one names the other's kind among its conflicts)."""
        blocked_by = frozenset(conflicts)
        for other_id, (other_kind, other_blocks) in self.running.items():
            if other_id != job_id and (other_kind in blocked_by or kind in other_blocks):
                raise JobAlreadyRunningError(
                    f"a {other_kind} job ({other_id}) is already running on this project"
                )
        if job_id not in self.running:
            self._record(JobSlotTaken(org_id=org_id, project_id=project_id, job_id=job_id,
                                      kind=kind, conflicts=tuple(sorted(blocked_by))))

    def release(self, *, org_id: UUID, project_id: UUID, job_id: UUID) -> bool:
        if job_id not in self.running:
            return False
        self._record(JobSlotReleased(org_id=org_id, project_id=project_id, job_id=job_id))
        return True

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case JobSlotTaken(job_id=job_id, kind=kind, conflicts=conflicts):
                self.running[job_id] = (kind, frozenset(conflicts))
            case JobSlotReleased(job_id=job_id):
                self.running.pop(job_id, None)
