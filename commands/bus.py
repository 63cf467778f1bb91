"""Runs a command handler in a unit of work, appends what it recorded, retries stale writes."""

import dataclasses
import random
import time
from collections.abc import Callable
from typing import Generic, TypeVar

import structlog

from commands.locks import AggregateLocks
from commands.unit_of_work import UnitOfWork
from domain.errors import ConcurrencyError
from domain.events import DomainEvent
from domain.log import EventMeta, EventStore, StaleWriteError

R = TypeVar("R")
C = TypeVar("C")
log = structlog.get_logger("copydesk.commands")

MAX_ATTEMPTS = 10


@dataclasses.dataclass(frozen=True)
class Outcome(Generic[R]):
    """What the handler returned, the position of the last event it appended (0: none), and
    those events, so a caller can answer from them instead of reading them back."""

    result: R
    position: int
    events: tuple[DomainEvent, ...] = ()


class CommandBus:
    def __init__(self, store: EventStore, *, snapshot_every: int = 200) -> None:
        self.store = store
        self.snapshot_every = snapshot_every
        self.locks = AggregateLocks()

    def run(
        self,
        handler: Callable[[UnitOfWork], R],
        meta: EventMeta,
        *,
        retryable: bool = True,
        name: str = "",
    ) -> Outcome[R]:
        """Run `handler` against fresh state; on a stale write, run it again from scratch
        when `retryable` (the handler only decides from what it loads), else ConcurrencyError.
        """
        command = name or getattr(handler, "__name__", "command")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            uow = UnitOfWork(self.store, self.locks)
            try:
                result = handler(uow)
                events = uow.new_events()
                if not events:
                    return Outcome(result, 0)
                positions = self.store.append(events, meta, uow.side_writes)
            except StaleWriteError:
                log.info("stale_write", command=command, attempt=attempt,
                         request_id=meta.request_id)
                if retryable and attempt < MAX_ATTEMPTS:
                    uow.release()
                    time.sleep(random.uniform(0, 0.002 * attempt))  # de-synchronize racers
                    continue
                raise ConcurrencyError(
                    "another request changed the same data at the same time; try again"
                ) from None
            finally:
                uow.release()
            log.debug("command_applied", command=command, events=len(events),
                      position=positions[-1], request_id=meta.request_id)
            self._take_snapshots(uow)
            return Outcome(result, positions[-1], tuple(e.event for e in events))
        raise AssertionError("unreachable")

    def _take_snapshots(self, uow: UnitOfWork) -> None:
        """Derived data, after the append and its locks: a failure only costs a longer load."""
        if self.snapshot_every <= 0:
            return
        for snapshot in uow.snapshots_due(self.snapshot_every):
            try:
                self.store.save_snapshot(snapshot)
            except Exception as error:
                log.warning("snapshot_not_saved", aggregate_id=str(snapshot.aggregate_id),
                            version=snapshot.version, error=type(error).__name__)

    def execute(
        self, handler: Callable[[UnitOfWork, C], R], command: C, meta: EventMeta,
        *, retryable: bool = True,
    ) -> Outcome[R]:
        """Run `handler(uow, command)`; see `run`."""
        return self.run(lambda uow: handler(uow, command), meta, retryable=retryable,
                        name=type(command).__name__)
