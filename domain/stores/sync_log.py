"""An item's sync log: every attempt to write its content to the store, recorded when it
starts and again when it ends (one end per attempt)."""

from uuid import UUID, uuid5

from domain.aggregate import Aggregate
from domain.events import DomainEvent
from domain.stores.events import ItemSyncFinished, ItemSyncStarted

MAX_ERROR_LENGTH = 1000
MAX_REPLY_ID_LENGTH = 200


def sync_log_id(item_id: UUID) -> UUID:
    return uuid5(item_id, "store-sync")


class ItemSyncLog(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.open: dict[UUID, UUID] = {}
        """Attempt → connection, for attempts started and not finished."""
        self.finished = 0

    def start(self, *, org_id: UUID, project_id: UUID, item_id: UUID, connection_id: UUID,
              attempt_id: UUID) -> None:
        if attempt_id not in self.open:
            self._record(ItemSyncStarted(org_id=org_id, project_id=project_id, item_id=item_id,
                                         connection_id=connection_id, attempt_id=attempt_id))

    def finish(self, *, org_id: UUID, project_id: UUID, item_id: UUID, attempt_id: UUID,
               success: bool, error: str | None, store_reply_id: str | None) -> bool:
        """False (nothing recorded) for an attempt not open: it ended before."""
        connection_id = self.open.get(attempt_id)
        if connection_id is None:
            return False
        self._record(ItemSyncFinished(
            org_id=org_id, project_id=project_id, item_id=item_id, connection_id=connection_id,
            attempt_id=attempt_id, success=success,
            error=None if error is None else (error.strip() or "failed")[:MAX_ERROR_LENGTH],
            store_reply_id=None if store_reply_id is None
            else store_reply_id[:MAX_REPLY_ID_LENGTH]))
        return True

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case ItemSyncStarted(attempt_id=attempt, connection_id=connection):
                self.open[attempt] = connection
            case ItemSyncFinished(attempt_id=attempt):
                self.open.pop(attempt, None)
                self.finished += 1
            case _:
                pass
